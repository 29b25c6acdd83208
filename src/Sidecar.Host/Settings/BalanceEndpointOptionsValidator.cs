namespace Sidecar.Host.Settings;

/// <summary>
/// Checks the balance endpoint: where it listens, as any endpoint, and that a <c>TokenFile</c> that
/// is the token's source can be read and holds a token.
/// </summary>
internal sealed class BalanceEndpointOptionsValidator() : EndpointOptionsValidator<BalanceEndpointOptions>(BalanceEndpointOptions.SectionName)
{
    /// <inheritdoc />
    public override string? Allowed(string key) => key switch
    {
        nameof(BalanceEndpointOptions.TokenFile) => "empty, or a readable file holding the bearer token",
        nameof(BalanceEndpointOptions.Token) => "empty, or one bearer token (two, separated by a comma, while rotating)",
        _ => base.Allowed(key),
    };

    /// <summary>The message of a token file that gives no token, saying why (<paramref name="problem"/>).</summary>
    public string TokenFileProblem(BalanceEndpointOptions options, string problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.TokenFromFile
            ? Problem(nameof(BalanceEndpointOptions.TokenFile), options.TokenFile, $"a readable file holding the bearer token ({problem})")
            : Problem(nameof(BalanceEndpointOptions.Token), "(not shown)", $"one bearer token, or two separated by a comma ({problem})");
    }

    /// <inheritdoc />
    protected override void Check(BalanceEndpointOptions options, List<string> failures)
    {
        base.Check(options, failures);
        if (!options.TryResolveTokens(out _, out var problem))
        {
            failures.Add(TokenFileProblem(options, problem));
        }

        if (options.Tls && string.IsNullOrWhiteSpace(options.TlsKeyFile))
        {
            failures.Add(Problem(nameof(BalanceEndpointOptions.TlsKeyFile), options.TlsKeyFile, $"the PEM key of {Section}:{nameof(BalanceEndpointOptions.TlsCertificateFile)}"));
        }

        if (!options.Tls && !string.IsNullOrWhiteSpace(options.TlsClientCaFile))
        {
            failures.Add(Problem(nameof(BalanceEndpointOptions.TlsClientCaFile), options.TlsClientCaFile, $"empty unless {Section}:{nameof(BalanceEndpointOptions.TlsCertificateFile)} is set"));
        }
    }
}

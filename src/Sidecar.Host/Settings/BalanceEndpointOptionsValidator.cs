namespace Sidecar.Host.Settings;

/// <summary>
/// Checks the balance endpoint: where it listens, as any endpoint, and that a <c>TokenFile</c> that
/// is the token's source can be read and holds a token.
/// </summary>
internal sealed class BalanceEndpointOptionsValidator() : EndpointOptionsValidator<BalanceEndpointOptions>(BalanceEndpointOptions.SectionName)
{
    /// <inheritdoc />
    public override string? Allowed(string key) => key == nameof(BalanceEndpointOptions.TokenFile)
        ? "empty, or a readable file holding the bearer token"
        : base.Allowed(key);

    /// <summary>The message of a token file that gives no token, saying why (<paramref name="problem"/>).</summary>
    public string TokenFileProblem(BalanceEndpointOptions options, string problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Problem(nameof(BalanceEndpointOptions.TokenFile), options.TokenFile, $"a readable file holding the bearer token ({problem})");
    }

    /// <inheritdoc />
    protected override void Check(BalanceEndpointOptions options, List<string> failures)
    {
        base.Check(options, failures);
        if (!options.TryResolveToken(out _, out var problem))
        {
            failures.Add(TokenFileProblem(options, problem));
        }
    }
}

namespace Sidecar.Host.Hosting;

/// <summary>
/// The endpoint the billing system pushes balances to (<c>Sidecar:Balance</c>). Defaults to
/// 127.0.0.1:8082. It only starts when a bearer token is configured, in <see cref="Token"/> (for
/// example the environment variable <c>Sidecar__Balance__Token</c>) or in <see cref="TokenFile"/>.
/// </summary>
public sealed class BalanceEndpointOptions : EndpointOptions
{
    /// <summary>Creates the options with the default port 8082.</summary>
    public BalanceEndpointOptions()
    {
        Port = 8082;
    }

    /// <summary>The bearer token callers must present.</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the bearer token (surrounding white space is ignored); used when <see cref="Token"/> is empty.</summary>
    public string? TokenFile { get; set; }

    /// <summary>The token in force, or <see langword="null"/> when none is configured.</summary>
    public string? ResolveToken()
    {
        if (!string.IsNullOrWhiteSpace(Token))
        {
            return Token.Trim();
        }

        if (string.IsNullOrWhiteSpace(TokenFile))
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(TokenFile).Trim();
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Sidecar:Balance:TokenFile '{TokenFile}' cannot be read: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InvalidOperationException($"Sidecar:Balance:TokenFile '{TokenFile}' cannot be read: {ex.Message}", ex);
        }

        if (text.Length == 0)
        {
            throw new InvalidOperationException($"Sidecar:Balance:TokenFile '{TokenFile}' is empty.");
        }

        return text;
    }
}

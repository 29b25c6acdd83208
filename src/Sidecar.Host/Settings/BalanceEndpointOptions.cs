using System.Diagnostics.CodeAnalysis;

namespace Sidecar.Host.Settings;

/// <summary>
/// The endpoint the billing system pushes balances to (<c>Sidecar:Balance</c>). Defaults to
/// 127.0.0.1:8082. It only starts when a bearer token is configured, in <see cref="Token"/> (for
/// example the environment variable <c>Sidecar__Balance__Token</c>) or in <see cref="TokenFile"/>.
/// </summary>
internal sealed class BalanceEndpointOptions : EndpointOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Sidecar:Balance";

    /// <summary>Creates the options with the default port 8082.</summary>
    public BalanceEndpointOptions()
    {
        Port = 8082;
    }

    /// <summary>The bearer token callers must present.</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the bearer token (surrounding white space is ignored); used when <see cref="Token"/> is empty.</summary>
    public string? TokenFile { get; set; }

    /// <summary>
    /// Reads the token in force: <see cref="Token"/>, else the contents of <see cref="TokenFile"/>,
    /// trimmed; <see langword="null"/> when neither is set.
    /// </summary>
    /// <param name="token">The token, or <see langword="null"/> when none is configured.</param>
    /// <param name="problem">Why <see cref="TokenFile"/> gives no token (it cannot be read, or holds only white space).</param>
    /// <returns>False when <see cref="TokenFile"/> is the token's source and gives none.</returns>
    public bool TryResolveToken(out string? token, [NotNullWhen(false)] out string? problem)
    {
        token = null;
        problem = null;
        if (!string.IsNullOrWhiteSpace(Token))
        {
            token = Token.Trim();
            return true;
        }

        if (string.IsNullOrWhiteSpace(TokenFile))
        {
            return true;
        }

        string text;
        try
        {
            text = File.ReadAllText(TokenFile).Trim();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            problem = "no such file";
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read it: {ex.Message.TrimEnd('.')}";
            return false;
        }

        if (text.Length == 0)
        {
            problem = "the file is empty";
            return false;
        }

        token = text;
        return true;
    }
}

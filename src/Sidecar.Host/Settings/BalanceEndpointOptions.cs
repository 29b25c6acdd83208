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

    /// <summary>The most tokens valid at once: the current one and the next, while a rotation is under way.</summary>
    public const int MaxTokens = 2;

    /// <summary>The bearer token callers must present; two separated by a comma while rotating.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// A file holding the bearer token (two, on separate lines, while rotating); used when
    /// <see cref="Token"/> is empty. It is read again when it changes.
    /// </summary>
    public string? TokenFile { get; set; }

    /// <summary>A PEM certificate (chain) to serve the endpoint over TLS with, with <see cref="TlsKeyFile"/>; none: h2c. Read again when it changes.</summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>The PEM private key of <see cref="TlsCertificateFile"/>.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>A PEM certificate authority: when set, every caller must present a client certificate issued by it (mutual TLS).</summary>
    public string? TlsClientCaFile { get; set; }

    /// <summary>True when the endpoint serves TLS.</summary>
    public bool Tls => !string.IsNullOrWhiteSpace(TlsCertificateFile);

    /// <summary>The bearer token of operator calls (<c>ResetAccountVersion</c>); none: they are refused.</summary>
    public string? OperatorToken { get; set; }

    /// <summary>True when the token comes from <see cref="TokenFile"/>.</summary>
    public bool TokenFromFile => string.IsNullOrWhiteSpace(Token) && !string.IsNullOrWhiteSpace(TokenFile);

    /// <summary>
    /// Reads the tokens in force: <see cref="Token"/>, else the contents of <see cref="TokenFile"/>;
    /// empty when neither is set.
    /// </summary>
    /// <param name="tokens">The tokens (one, or two while rotating); empty when none is configured.</param>
    /// <param name="problem">Why the configured source gives no valid token (the file cannot be read, holds nothing, or holds more than two).</param>
    /// <returns>False when the configured source gives no valid token.</returns>
    public bool TryResolveTokens(out IReadOnlyList<string> tokens, [NotNullWhen(false)] out string? problem)
    {
        tokens = [];
        problem = null;
        string text;
        if (!string.IsNullOrWhiteSpace(Token))
        {
            text = Token;
        }
        else if (string.IsNullOrWhiteSpace(TokenFile))
        {
            return true;
        }
        else
        {
            try
            {
                text = File.ReadAllText(TokenFile);
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
        }

        var parsed = text.Split([',', '\n', '\r', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parsed.Length == 0)
        {
            problem = TokenFromFile ? "the file is empty" : "it holds no token";
            return false;
        }

        if (parsed.Length > MaxTokens)
        {
            problem = $"it holds {parsed.Length} tokens; at most {MaxTokens}, the current one and the next";
            return false;
        }

        tokens = parsed;
        return true;
    }
}

using System.Text;
using Sidecar.Host.Logging;
using Sidecar.Host.Settings;

namespace Sidecar.Host.Balance;

/// <summary>
/// The bearer tokens the balance endpoint accepts: one, or two while a rotation is under way (the
/// old and the new, so the billing system can switch without a refused call). When they come from
/// <see cref="BalanceEndpointOptions.TokenFile"/>, the file is looked at again at most once a second
/// (<see cref="FileChangeCheck"/>) and read again when it changed; a file that turns unreadable,
/// empty or wrong keeps the tokens in force, and says why in the log once per change.
/// </summary>
internal sealed class BearerTokenSource
{
    private readonly BalanceEndpointOptions _options;
    private readonly ILogger _logger;
    private readonly FileChangeCheck? _file;
    private byte[][] _tokens;

    /// <summary>Starts with <paramref name="tokens"/>, read at start from <paramref name="options"/>.</summary>
    public BearerTokenSource(BalanceEndpointOptions options, IReadOnlyList<string> tokens, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _tokens = Encode(tokens);
        _file = options.TokenFromFile ? new FileChangeCheck(timeProvider, options.TokenFile!) : null;
    }

    /// <summary>The tokens in force, after looking at the file if it is time to.</summary>
    public IReadOnlyList<byte[]> Current
    {
        get
        {
            if (_file?.Changed() == true)
            {
                Reload();
            }

            return Volatile.Read(ref _tokens);
        }
    }

    private void Reload()
    {
        if (_options.TryResolveTokens(out var tokens, out var problem))
        {
            Volatile.Write(ref _tokens, Encode(tokens));
            SidecarLog.BalanceTokensReloaded(_logger, _options.TokenFile!, tokens.Count);
        }
        else
        {
            SidecarLog.BalanceTokensNotReloaded(_logger, _options.TokenFile!, problem);
        }
    }

    private static byte[][] Encode(IReadOnlyList<string> tokens) => [.. tokens.Select(Encoding.UTF8.GetBytes)];
}

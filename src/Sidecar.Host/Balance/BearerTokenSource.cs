using System.Text;
using Sidecar.Host.Logging;
using Sidecar.Host.Settings;

namespace Sidecar.Host.Balance;

/// <summary>
/// The bearer tokens the balance endpoint accepts: one, or two while a rotation is under way (the
/// old and the new, so the billing system can switch without a refused call). When they come from
/// <see cref="BalanceEndpointOptions.TokenFile"/>, the file is looked at again at most once a second
/// and read again when it changed; a file that turns unreadable, empty or wrong keeps the tokens in
/// force, and says why in the log once per change.
/// </summary>
internal sealed class BearerTokenSource
{
    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(1);

    private readonly BalanceEndpointOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private byte[][] _tokens;
    private (DateTime Written, long Length) _seen;
    private long _nextLook;

    /// <summary>Starts with <paramref name="tokens"/>, read at start from <paramref name="options"/>.</summary>
    public BearerTokenSource(BalanceEndpointOptions options, IReadOnlyList<string> tokens, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _tokens = Encode(tokens);
        _seen = Stamp();
        _nextLook = timeProvider.GetTimestamp() + Ticks(LookEvery);
    }

    /// <summary>The tokens in force, after looking at the file if it is time to.</summary>
    public IReadOnlyList<byte[]> Current
    {
        get
        {
            if (_options.TokenFromFile && _timeProvider.GetTimestamp() >= Volatile.Read(ref _nextLook))
            {
                Refresh();
            }

            return Volatile.Read(ref _tokens);
        }
    }

    private void Refresh()
    {
        lock (_gate)
        {
            var now = _timeProvider.GetTimestamp();
            if (now < _nextLook)
            {
                return;
            }

            Volatile.Write(ref _nextLook, now + Ticks(LookEvery));
            var stamp = Stamp();
            if (stamp == _seen)
            {
                return;
            }

            _seen = stamp;
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
    }

    private (DateTime Written, long Length) Stamp()
    {
        if (!_options.TokenFromFile)
        {
            return default;
        }

        var file = new FileInfo(_options.TokenFile!);
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : default;
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _timeProvider.TimestampFrequency);

    private static byte[][] Encode(IReadOnlyList<string> tokens) => [.. tokens.Select(Encoding.UTF8.GetBytes)];
}

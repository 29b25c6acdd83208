using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Sidecar.Host.Balance;

/// <summary>
/// Counts failed authentications per peer in fixed windows and refuses a peer that failed too often,
/// without looking at what it presents, until its window ends: guessing tokens is slowed to
/// <see cref="MaxFailures"/> per <see cref="Window"/> per address (per /64 for IPv6, whose clients
/// hold whole prefixes). The table is bounded: past <see cref="MaxPeers"/>, peers whose window has
/// ended are dropped, and new ones are not tracked until there is room.
/// </summary>
internal sealed class FailedAuthenticationThrottle(TimeProvider timeProvider)
{
    /// <summary>Failures a peer may have in one window before it is refused outright.</summary>
    public const int MaxFailures = 10;

    /// <summary>Peers tracked at most.</summary>
    public const int MaxPeers = 10_000;

    /// <summary>The window failures are counted in.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, PeerFailures> _peers = new(StringComparer.Ordinal);

    /// <summary>The key of <paramref name="address"/>: the address, or its /64 for IPv6.</summary>
    public static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    /// <summary>When <paramref name="peer"/> is refused outright: the time until its window ends; otherwise <see langword="null"/>.</summary>
    public TimeSpan? RefusedFor(string peer)
        => _peers.TryGetValue(peer, out var failures) ? failures.RefusedFor(timeProvider.GetUtcNow()) : null;

    /// <summary>Counts a failure of <paramref name="peer"/>; returns its failures in the current window (0 when it is not tracked).</summary>
    public int Fail(string peer)
    {
        var now = timeProvider.GetUtcNow();
        if (!_peers.TryGetValue(peer, out var failures))
        {
            if (_peers.Count >= MaxPeers)
            {
                foreach (var (key, idle) in _peers)
                {
                    if (idle.Ended(now))
                    {
                        _peers.TryRemove(key, out _);
                    }
                }

                if (_peers.Count >= MaxPeers)
                {
                    return 0;
                }
            }

            failures = _peers.GetOrAdd(peer, static _ => new PeerFailures());
        }

        return failures.Add(now);
    }

    /// <summary>One peer's failures in its current window.</summary>
    private sealed class PeerFailures
    {
        private readonly Lock _gate = new();
        private DateTimeOffset _windowEnd;
        private int _count;

        public int Add(DateTimeOffset now)
        {
            lock (_gate)
            {
                if (now >= _windowEnd)
                {
                    _windowEnd = now + Window;
                    _count = 0;
                }

                return ++_count;
            }
        }

        public TimeSpan? RefusedFor(DateTimeOffset now)
        {
            lock (_gate)
            {
                return _count >= MaxFailures && now < _windowEnd ? _windowEnd - now : null;
            }
        }

        public bool Ended(DateTimeOffset now)
        {
            lock (_gate)
            {
                return now >= _windowEnd;
            }
        }
    }
}

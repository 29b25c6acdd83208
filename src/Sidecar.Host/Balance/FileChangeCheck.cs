namespace Sidecar.Host.Balance;

/// <summary>
/// Tells whether files changed (their last write time or length) since it last looked, looking at
/// most once per <see cref="LookEvery"/> of its clock: cheap enough to ask on every call, so that a
/// renewed token or certificate is taken up within a second without a watcher thread.
/// </summary>
internal sealed class FileChangeCheck
{
    /// <summary>The least time between two looks at the files.</summary>
    public static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(1);

    private readonly string[] _paths;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private (DateTime Written, long Length)[] _seen;
    private long _nextLook;

    /// <summary>Starts with the files as they are now.</summary>
    public FileChangeCheck(TimeProvider timeProvider, params string[] paths)
    {
        _timeProvider = timeProvider;
        _paths = paths;
        _seen = Stamps();
        _nextLook = timeProvider.GetTimestamp() + Ticks(LookEvery);
    }

    /// <summary>True, once, when it is time to look and a file changed since the last look.</summary>
    public bool Changed()
    {
        if (_timeProvider.GetTimestamp() < Volatile.Read(ref _nextLook))
        {
            return false;
        }

        lock (_gate)
        {
            var now = _timeProvider.GetTimestamp();
            if (now < _nextLook)
            {
                return false;
            }

            Volatile.Write(ref _nextLook, now + Ticks(LookEvery));
            var stamps = Stamps();
            if (stamps.AsSpan().SequenceEqual(_seen))
            {
                return false;
            }

            _seen = stamps;
            return true;
        }
    }

    private (DateTime Written, long Length)[] Stamps()
        => [.. _paths.Select(static path => new FileInfo(path) is { Exists: true } file ? (file.LastWriteTimeUtc, file.Length) : default)];

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _timeProvider.TimestampFrequency);
}

using System.Diagnostics;
using Sidecar.Engine.State;
using Sidecar.Storage;
using Sidecar.Storage.Disk;

namespace Sidecar.StorageBench;

/// <summary>The disk store opened as the host opens it, over an engine state shaped as the host's (64 shards).</summary>
internal static class DiskStores
{
    /// <summary>An empty engine state; its sweeper runs hourly, so it removes nothing during a run.</summary>
    public static EngineState NewState() => new(64, TimeProvider.System, TimeSpan.FromHours(1));

    /// <summary>Opens and locks <paramref name="directory"/> as a disk store over <paramref name="state"/>; the caller recovers it.</summary>
    public static DiskStateStore Open(EngineState state, string directory)
        => new(state, new StorageOptions { Directory = directory }, TimeProvider.System, ex => Console.Error.WriteLine($"write-behind failed: {ex.Message}"));

    /// <summary>
    /// Recovers <paramref name="directory"/> into a fresh state, timing <see cref="DiskStateStore.Recover"/>;
    /// also returns the managed heap the recovered state holds.
    /// </summary>
    public static async Task<(StoreRecovery Recovery, TimeSpan Elapsed, long HeapBytes)> TimeRecoveryAsync(string directory)
    {
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var state = NewState();
        await using var store = Open(state, directory);
        var started = Stopwatch.GetTimestamp();
        var recovery = store.Recover();
        var elapsed = Stopwatch.GetElapsedTime(started);
        return (recovery, elapsed, GC.GetTotalMemory(forceFullCollection: true) - heapBefore);
    }
}

namespace Sidecar.Engine.Limits;

/// <summary>
/// Keeps the garbage collector's pauses short while a large configuration is read and compiled
/// beside running decisions. Reading keeps a few small objects per descriptor amid much short-lived
/// garbage; left alone, the collector moves the kept ones in batches of tens of megabytes of
/// allocation, pauses of 10 to 40 ms that stall every decision (<c>bench/RESULTS.md</c>). A pacer,
/// ticked as descriptors are read or compiled, asks for a young collection each time the loading
/// thread has allocated another step, and for a generation-1 collection every
/// <see cref="Generation1Every"/>th time, so that each pause has a few thousand descriptors' objects
/// to move, not tens of thousands. A small load allocates less than a step and is never paced.
/// </summary>
internal sealed class CollectionPacer
{
    /// <summary>The step while reading, which keeps about 6% of what it allocates: about 1,000 descriptors of a file like the reference's.</summary>
    public const long ReadingStepBytes = 4L << 20;

    /// <summary>The step while compiling, which keeps most of what it allocates.</summary>
    public const long CompilingStepBytes = 1L << 20;

    /// <summary>How many young collections make one of generation 1 (moving what generation 0 kept to generation 2).</summary>
    public const int Generation1Every = 4;

    private readonly long _stepBytes;
    private readonly Action<int> _collect;
    private long _nextAt = -1;
    private int _steps;

    /// <summary>A pacer that asks <paramref name="collect"/> for a collection of the generation given, every <paramref name="stepBytes"/>.</summary>
    public CollectionPacer(long stepBytes, Action<int> collect)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepBytes);
        _stepBytes = stepBytes;
        _collect = collect;
    }

    /// <summary>A pacer of reading, when <paramref name="paced"/>; otherwise none.</summary>
    public static CollectionPacer? ForReading(bool paced) => paced ? new(ReadingStepBytes, Collect) : null;

    /// <summary>A pacer of compiling, when <paramref name="paced"/>; otherwise none.</summary>
    public static CollectionPacer? ForCompiling(bool paced) => paced ? new(CompilingStepBytes, Collect) : null;

    /// <summary>
    /// Collects when the calling thread has allocated a step since the last collection (or since its
    /// first tick, which only starts counting). Always called from the one thread that loads.
    /// </summary>
    public void Tick()
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        if (_nextAt < 0)
        {
            _nextAt = allocated + _stepBytes;
            return;
        }

        if (allocated < _nextAt)
        {
            return;
        }

        _collect(++_steps % Generation1Every == 0 ? 1 : 0);
        _nextAt = GC.GetAllocatedBytesForCurrentThread() + _stepBytes;
    }

    private static void Collect(int generation) => GC.Collect(generation, GCCollectionMode.Forced, blocking: true);
}

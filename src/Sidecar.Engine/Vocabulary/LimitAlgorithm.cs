namespace Sidecar.Engine.Vocabulary;

/// <summary>How a configured limit counts requests over its unit.</summary>
public enum LimitAlgorithm : byte
{
    /// <summary>
    /// Windows aligned to the Unix epoch, as the reference service counts: at most the limit per
    /// window, but up to twice the limit across a window boundary. The default.
    /// </summary>
    FixedWindow,

    /// <summary>
    /// The current fixed window plus the previous one weighted by how much of it still overlaps the
    /// last unit of time: no boundary burst, two counters per key.
    /// </summary>
    SlidingWindow,

    /// <summary>
    /// A bucket of the limit's size that refills continuously at limit per unit (GCRA): bursts up to
    /// the limit, then a steady rate.
    /// </summary>
    TokenBucket,
}

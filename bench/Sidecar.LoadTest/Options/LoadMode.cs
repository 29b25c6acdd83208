namespace Sidecar.LoadTest.Options;

/// <summary>How load is offered.</summary>
internal enum LoadMode
{
    /// <summary>A fixed number of calls in flight; each worker sends its next call when the previous one is answered.</summary>
    Closed,

    /// <summary>A fixed request rate, whatever the answers; latency runs from each call's intended send time.</summary>
    Open,
}

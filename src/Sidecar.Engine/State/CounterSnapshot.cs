namespace Sidecar.Engine.State;

/// <summary>One configured limit's counter as a storage backend keeps it.</summary>
/// <param name="Key">The counter's key (the domain's descriptor path with unit and algorithm).</param>
/// <param name="Unit">The unit counted in.</param>
/// <param name="Algorithm">The algorithm counted with.</param>
/// <param name="First">Its first word.</param>
/// <param name="Second">Its second word (the sliding window's other window; zero for the others).</param>
internal readonly record struct CounterSnapshot(string Key, LimitUnit Unit, LimitAlgorithm Algorithm, long First, long Second);

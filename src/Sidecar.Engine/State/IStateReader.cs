namespace Sidecar.Engine.State;

/// <summary>What a storage backend receives from <see cref="EngineState.ReadChangedSince"/>.</summary>
internal interface IStateReader
{
    /// <summary>An account that holds billing state or whose counters may have changed since the mark.</summary>
    void Account(in AccountSnapshot account);

    /// <summary>A configured counter that may have changed since the mark.</summary>
    void Counter(in CounterSnapshot counter);
}

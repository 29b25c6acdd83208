namespace Sidecar.Engine.State;

/// <summary>What a storage backend receives from <see cref="EngineState.ReadUnwritten"/> and <see cref="EngineState.ReadAll"/>.</summary>
internal interface IStateReader
{
    /// <summary>An account, with or without its billing state.</summary>
    void Account(in AccountSnapshot account);

    /// <summary>A configured counter.</summary>
    void Counter(in CounterSnapshot counter);
}

using Sidecar.Engine.State;
using Sidecar.Engine.State.Accounts;

namespace Sidecar.Storage.Disk;

/// <summary>Puts the records of a store's files back into the engine, in file order: a balance applies unless a newer version is in force; counters take the words read last.</summary>
internal sealed class RecoverySink(EngineState state) : IStateRecordSink
{
    /// <inheritdoc />
    public void Balance(ReadOnlySpan<byte> encodedId, AccountBalance balance) => state.RestoreBalance(AccountId.Decode(encodedId), balance);

    /// <inheritdoc />
    public void VersionReset(ReadOnlySpan<byte> encodedId) => state.RestoreVersionReset(AccountId.Decode(encodedId));

    /// <inheritdoc />
    public void AccountCounters(ReadOnlySpan<byte> encodedId, in AccountCounterWords counters) => state.RestoreCounters(AccountId.Decode(encodedId), counters);

    /// <inheritdoc />
    public void LimitCounter(in CounterSnapshot counter) => state.RestoreCounter(counter);
}

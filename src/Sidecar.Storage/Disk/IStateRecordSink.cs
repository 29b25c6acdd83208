using Sidecar.Engine.State;
using Sidecar.Engine.State.Accounts;

namespace Sidecar.Storage.Disk;

/// <summary>What the records of a state file are decoded into (see <see cref="StateRecord.Decode"/>).</summary>
internal interface IStateRecordSink
{
    /// <summary>An applied balance update of the account whose id is <paramref name="encodedId"/> (as <see cref="AccountId"/> encodes it).</summary>
    void Balance(ReadOnlySpan<byte> encodedId, AccountBalance balance);

    /// <summary>An operator's reset of the version of the account whose id is <paramref name="encodedId"/>.</summary>
    void VersionReset(ReadOnlySpan<byte> encodedId);

    /// <summary>An account's counter words.</summary>
    void AccountCounters(ReadOnlySpan<byte> encodedId, in AccountCounterWords counters);

    /// <summary>A configured counter.</summary>
    void LimitCounter(in CounterSnapshot counter);
}

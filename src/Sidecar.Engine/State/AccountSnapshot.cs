using Sidecar.Engine.State.Accounts;

namespace Sidecar.Engine.State;

/// <summary>One account as a storage backend keeps it: its id, its billing state and its counters' words.</summary>
/// <param name="EncodedId">The account id in the form the table holds it (<see cref="AccountId"/>): the entry's own array, not a copy; never write to it.</param>
/// <param name="Balance">The billing state in force; <see langword="null"/> when none was pushed, or when only the counters are reported.</param>
/// <param name="Counters">The counters' words.</param>
internal readonly record struct AccountSnapshot(byte[] EncodedId, AccountBalance? Balance, AccountCounterWords Counters);

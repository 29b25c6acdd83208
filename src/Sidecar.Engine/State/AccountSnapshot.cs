using Sidecar.Engine.State.Accounts;

namespace Sidecar.Engine.State;

/// <summary>One account as a storage backend keeps it: its billing state and its counters' words.</summary>
/// <param name="AccountId">The account id.</param>
/// <param name="Balance">The billing state pushed for it; <see langword="null"/> when none was.</param>
/// <param name="FreeMinute">The free-model minute window's word.</param>
/// <param name="FreeDay">The free-model day window's word.</param>
/// <param name="PaidSecond">The paid-model bucket's word.</param>
internal readonly record struct AccountSnapshot(string AccountId, AccountBalance? Balance, long FreeMinute, long FreeDay, long PaidSecond);

using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Time;

namespace Sidecar.Engine.Tests.State.Accounts;

/// <summary>The account table's memory limit: what is charged, what shares the overflow entry, what is never refused.</summary>
public sealed class AccountTableMemoryTests
{
    /// <summary>The charge of an entry for a 9-character ASCII id such as <c>acct-0001</c>.</summary>
    private static readonly long EntryCost = AccountEntry.MemoryCostOf(9);

    [Fact]
    public void MemoryCostOf_AnEntry_CoversWhatItsObjectsAllocate()
    {
        // Arrange
        var id = new string('a', 37);
        _ = new AccountEntry(id);
        var before = GC.GetAllocatedBytesForCurrentThread();

        // Act
        var entry = new AccountEntry(id);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert: the objects exactly, and the slots' share on top of them.
        Assert.Equal(allocated + AccountShard.SlotBytesPerEntry, entry.MemoryCost);
        Assert.Equal(AccountEntry.MemoryCostOf(37), entry.MemoryCost);
    }

    [Fact]
    public void GetOrAddWithinBudget_PastTheLimit_NewIdsShareTheOverflowEntryAndHeldIdsKeepTheirs()
    {
        // Arrange
        var table = new AccountTable(4, EntryCost * 3);
        var held = table.GetOrAddWithinBudget("acct-0001");
        table.GetOrAddWithinBudget("acct-0002");
        table.GetOrAddWithinBudget("acct-0003");

        // Act
        var fourth = table.GetOrAddWithinBudget("acct-0004");
        var fifth = table.GetOrAddWithinBudget("acct-0005");
        var again = table.GetOrAddWithinBudget("acct-0001");

        // Assert
        Assert.Same(table.Overflow, fourth);
        Assert.Same(table.Overflow, fifth);
        Assert.Same(held, again);
        Assert.Equal(3, table.Count);
        Assert.Equal(EntryCost * 3, table.Memory.ChargedBytes);
        Assert.Equal(2, table.Memory.Refusals);
        Assert.Null(table.Find("acct-0004"));
    }

    [Fact]
    public void Apply_PastTheLimit_GivesTheBilledAccountItsOwnEntry()
    {
        // Arrange
        var table = new AccountTable(4, EntryCost);
        table.GetOrAddWithinBudget("acct-0001");

        // Act
        var outcome = table.Apply("acct-0002", new AccountBalance(5_000_000, 0, null, 1), out _);

        // Assert
        Assert.Equal(BalanceUpdateOutcome.Applied, outcome);
        Assert.NotNull(table.Find("acct-0002"));
        Assert.Equal(EntryCost * 2, table.Memory.ChargedBytes);
        Assert.Same(table.Overflow, table.GetOrAddWithinBudget("acct-0003"));
    }

    [Fact]
    public void Sweep_IdleEntries_ReleasesTheirChargeAndMakesRoom()
    {
        // Arrange
        var harness = new EngineHarness(accounts: new AccountTable(4, EntryCost * 2));
        harness.Free("acct-0001");
        harness.Free("acct-0002");
        harness.SetBalance("acct-0003", 5_000_000);
        harness.SetTime(EngineHarness.NextMidnight);

        // Act
        var removed = harness.Accounts.Sweep(UtcInstant.Now(harness.Clock));
        var afterSweep = harness.Accounts.GetOrAddWithinBudget("acct-0004");

        // Assert: the billed account stays, charged; the two idle ones went and left room for one more.
        Assert.Equal(2, removed);
        Assert.NotSame(harness.Accounts.Overflow, afterSweep);
        Assert.Equal(EntryCost * 2, harness.Accounts.Memory.ChargedBytes);
    }

    [Fact]
    public void Overflow_IsNeverListedForAStore()
    {
        // Arrange
        var harness = new EngineHarness(accounts: new AccountTable(4, EntryCost));
        harness.Free("acct-0001");

        // Act
        harness.Free("acct-0002");
        var listed = harness.Accounts.Unwritten.Drain().Cast<AccountEntry>().Select(entry => entry.IdToString()).ToList();

        // Assert
        Assert.Equal(["acct-0001"], listed);
    }
}

using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.State.Accounts;

/// <summary>The billing state held in an entry's own fields: what is read back, what is refused, what it costs.</summary>
public sealed class AccountEntryTests
{
    [Fact]
    public void TryReadBilling_NothingPushed_ReturnsFalse()
    {
        // Arrange
        var entry = new AccountEntry("acct");

        // Act
        var known = entry.TryReadBilling(out var billing);

        // Assert
        Assert.False(known);
        Assert.Equal(0ul, billing.Version);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1u)]
    [InlineData(BalanceUpdateValidator.MaxRequestsPerSecond)]
    public void TryApply_ThenTryReadBilling_ReturnsEveryField(uint? cap)
    {
        // Arrange
        var entry = new AccountEntry("acct");
        var update = new AccountBalance(-7_000_000, 12_000_000, cap, 9);

        // Act
        var landed = entry.TryApply(update, restored: false, out var outcome, out var versionInForce);
        var known = entry.TryReadBilling(out var billing);

        // Assert
        Assert.True(landed);
        Assert.Equal(BalanceUpdateOutcome.Applied, outcome);
        Assert.Equal(9ul, versionInForce);
        Assert.True(known);
        Assert.Equal(-7_000_000, billing.BalanceMicros);
        Assert.Equal(12_000_000, billing.PurchasedMicros);
        Assert.Equal(cap, billing.MaxRequestsPerSecond);
        Assert.Equal(9ul, billing.Version);
        Assert.Equal(update, billing.ToAccountBalance());
    }

    [Theory]
    [InlineData(5ul, BalanceUpdateOutcome.Conflict)]
    [InlineData(4ul, BalanceUpdateOutcome.Stale)]
    [InlineData(1ul, BalanceUpdateOutcome.Stale)]
    public void TryApply_SameOrOlderVersion_RefusedAndNothingWritten(ulong version, BalanceUpdateOutcome expected)
    {
        // Arrange
        var entry = new AccountEntry("acct");
        var inForce = new AccountBalance(5_000_000, 10_000_000, 7, 5);
        entry.TryApply(inForce, restored: false, out _, out _);

        // Act
        var landed = entry.TryApply(new AccountBalance(-1, 0, null, version), restored: false, out var outcome, out var versionInForce);

        // Assert: refused, the state in force unchanged, and the entry free for the next update.
        Assert.True(landed);
        Assert.Equal(expected, outcome);
        Assert.Equal(5ul, versionInForce);
        Assert.Equal(inForce, Billing.Of(entry));
        Assert.True(entry.TryApply(new AccountBalance(1, 1, null, 6), restored: false, out var next, out _));
        Assert.Equal(BalanceUpdateOutcome.Applied, next);
    }

    [Fact]
    public void TryApply_SameVersionAndContent_Duplicate()
    {
        // Arrange
        var entry = new AccountEntry("acct");
        var inForce = new AccountBalance(5_000_000, 10_000_000, 7, 5);
        entry.TryApply(inForce, restored: false, out _, out _);

        // Act
        entry.TryApply(inForce with { }, restored: false, out var outcome, out var versionInForce);

        // Assert
        Assert.Equal(BalanceUpdateOutcome.Duplicate, outcome);
        Assert.Equal(5ul, versionInForce);
    }

    [Fact]
    public void TryApply_ClaimedBySweeper_WritesNothingAndReturnsFalse()
    {
        // Arrange
        var entry = new AccountEntry("acct");
        Retirement.Claim(entry);

        // Act
        var landed = entry.TryApply(new AccountBalance(5_000_000, 0, null, 1), restored: false, out _, out _);

        // Assert
        Assert.False(landed);
        Assert.True(entry.IsRetired);
        Assert.Null(Billing.Of(entry));
    }

    [Fact]
    public void TryClaim_AfterABalanceUpdate_Refused()
    {
        // Arrange
        var entry = new AccountEntry("acct");
        entry.TryApply(new AccountBalance(0, 0, null, 1), restored: false, out _, out _);

        // Act
        var claimed = entry.TryClaim();

        // Assert
        Assert.False(claimed);
        Assert.False(entry.IsRetired);
        Assert.Equal(1ul, Billing.Of(entry)?.Version);
    }

    [Theory]
    [InlineData("acct", 4, 32)]
    [InlineData("acct-0a1b2c3d", 13, 40)]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301", 36, 64)]
    [InlineData("compte-é", 9, 40)]
    public void Ctor_On64BitRuntime_Allocates104BytesAndTheUtf8Id(string id, int utf8Length, int idBytes)
    {
        // Arrange: one entry first, so nothing is loaded on the measured one.
        Assert.SkipUnless(Environment.Is64BitProcess, "The size is stated for 64-bit runtimes.");
        GC.KeepAlive(new AccountEntry(id));

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        var entry = new AccountEntry(id);
        var after = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(entry);

        // Assert: the entry is header and type (16), the store list's link and flag (16 with padding), the id's reference (8),
        // three counters, balance, purchased and version (48), cap and state (8); its id is an array of header and length (24)
        // and the UTF-8 bytes, rounded up to 8.
        Assert.Equal(utf8Length, entry.EncodedId.Length);
        Assert.Equal(104 + idBytes, after - before);
    }

    [Fact]
    public void Decide_AccountWithBillingState_ReadsItWithoutAllocating()
    {
        // Arrange: a paid and a free request of an account with a balance and a cap of its own, each decided once so that everything is loaded.
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(100), Money.Dollars(20), maxRequestsPerSecond: 50);
        var paid = TestRequest.OpenRouter(Descriptor.For("acct", Descriptor.PaidModel));
        var free = TestRequest.OpenRouter(Descriptor.For("acct", Descriptor.FreeModel));
        var paidDecisions = new DescriptorDecision[1];
        var freeDecisions = new DescriptorDecision[1];
        harness.Engine.Decide(ref paid, paidDecisions);
        harness.Engine.Decide(ref free, freeDecisions);

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        harness.Engine.Decide(ref paid, paidDecisions);
        harness.Engine.Decide(ref free, freeDecisions);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert: both admitted, the paid one at the account's own cap.
        Assert.Equal(0, allocated);
        Assert.Equal(DecisionCode.Ok, paidDecisions[0].Code);
        Assert.Equal(50u, paidDecisions[0].RequestsPerUnit);
        Assert.Equal(DecisionCode.Ok, freeDecisions[0].Code);
    }
}

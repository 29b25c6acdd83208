using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Policies.OpenRouter;

/// <summary>A flood of made-up account ids against a table with a memory limit, on the fake clock.</summary>
public sealed class OpenRouterPolicyMemoryLimitTests
{
    private const int Room = 500;

    private static readonly long Limit = AccountEntry.MemoryCostOf("flood-000000".Length) * Room;

    [Fact]
    public void Decide_FloodOfNewIds_TableStaysWithinItsLimitAndTheRestShareOneAccountsLimits()
    {
        // Arrange
        var harness = new EngineHarness(accounts: new AccountTable(16, Limit));

        // Act
        var admitted = 0;
        for (var i = 0; i < 20 * Room; i++)
        {
            admitted += harness.Free($"flood-{i:D6}").IsAdmitted ? 1 : 0;
        }

        // Assert: the first ids got entries, one request each; the others shared 20 a minute.
        Assert.Equal(Room, harness.Accounts.Count);
        Assert.True(harness.Accounts.Memory.ChargedBytes <= Limit);
        Assert.Equal(Room + 20, admitted);
    }

    [Fact]
    public void Decide_TableFull_HeldAndBilledAccountsKeepTheirOwnLimits()
    {
        // Arrange
        var harness = new EngineHarness(accounts: new AccountTable(16, Limit));
        harness.Free("early-account");
        harness.SetBalance("billed-account", 3_000_000, purchasedMicros: 20_000_000);
        for (var i = 0; harness.Accounts.Memory.Refusals == 0; i++)
        {
            harness.Free($"flood-{i:D6}");
        }

        // Act
        var earlyAdmitted = harness.AdmitFree("early-account", 30);
        var billedPaid = harness.AdmitPaid("billed-account", 10);
        var newcomer = harness.AdmitFree("newcomer", 30);

        // Assert
        Assert.Equal(19, earlyAdmitted);
        Assert.Equal(3, billedPaid);
        Assert.True(newcomer < 20);
    }

    [Fact]
    public void Decide_NextDayAfterASweep_NewIdsGetTheirOwnEntriesAgain()
    {
        // Arrange
        var harness = new EngineHarness(accounts: new AccountTable(16, Limit));
        for (var i = 0; i < 2 * Room; i++)
        {
            harness.Free($"flood-{i:D6}");
        }

        harness.SetTime(EngineHarness.NextMidnight);
        harness.Accounts.Sweep(UtcInstant.Now(harness.Clock));

        // Act
        var admitted = harness.AdmitFree("newcomer", 30);

        // Assert
        Assert.Equal(20, admitted);
        Assert.NotNull(harness.Accounts.Find("newcomer"));
        Assert.Equal(AccountEntry.MemoryCostOf("newcomer".Length), harness.Accounts.Memory.ChargedBytes);
    }

    [Fact]
    public void Decide_PaidModelOfAnUnknownAccount_RefusedForCreditsWithoutAnEntryOrACharge()
    {
        // Arrange
        var harness = new EngineHarness(accounts: new AccountTable(16, Limit));

        // Act
        var outcome = harness.Paid("stranger");

        // Assert
        Assert.Equal(RefusalReason.InsufficientCredits, outcome.Summary.Refusal);
        Assert.Equal(0, harness.Accounts.Count);
        Assert.Equal(0, harness.Accounts.Memory.ChargedBytes);
    }

    [Fact]
    public void Describe_TableFull_ANewcomerSharesTheOverflowAndSeesItsUse()
    {
        // Arrange
        var harness = new EngineHarness(accounts: new AccountTable(16, Limit));
        harness.Free("early-account");
        for (var i = 0; harness.Accounts.Memory.Refusals < 5; i++)
        {
            harness.Free($"flood-{i:D6}");
        }

        // Act
        var newcomer = harness.Describe("newcomer");
        var early = harness.Describe("early-account");

        // Assert: five requests counted on the shared entry; the early account keeps its own.
        Assert.True(newcomer.SharesOverflow);
        Assert.Equal(5u, newcomer.Limits.Single(limit => limit.Unit == LimitUnit.Minute).Used);
        Assert.False(early.SharesOverflow);
        Assert.Equal(1u, early.Limits.Single(limit => limit.Unit == LimitUnit.Minute).Used);
    }
}

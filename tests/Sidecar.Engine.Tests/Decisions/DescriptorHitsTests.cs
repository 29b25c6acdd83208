using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Decisions;

/// <summary>A descriptor's own hits_addend replaces the request's for that descriptor, in both policies; its 0 counts nothing.</summary>
public sealed class DescriptorHitsTests
{
    private static readonly (string Key, string Value)[] Loose = Descriptor.Of(("loose", "x"));
    private static readonly (string Key, string Value)[] Tight = Descriptor.Of(("tight", "x"));

    [Fact]
    public void Decide_ConfiguredDescriptorsWithHitsOfTheirOwn_EachCountsItsOwn()
    {
        // Arrange: the request counts 2; the first descriptor 5 of its own, the second none of its own.
        var harness = EngineHarness.WithRules("two-descriptors");
        var request = TestRequest.ForDomain("pair", 2, Loose, Descriptor.Of(("loose", "y"))).WithHits(0, 5);

        // Act
        var outcome = harness.Decide(request);

        // Assert
        Assert.True(outcome.IsAdmitted);
        Assert.Equal(5u, outcome.Decisions[0].Remaining);
        Assert.Equal(8u, outcome.Decisions[1].Remaining);
    }

    [Fact]
    public void Decide_ConfiguredDescriptorHitsZero_ChecksWithoutCountingUpToTheLimitItself()
    {
        // Arrange: the tight limit (1 a minute) used up, as a request-level 0 would count 1.
        var harness = EngineHarness.WithRules("two-descriptors");
        Assert.True(harness.Decide("pair", Tight).IsAdmitted);
        var check = TestRequest.ForDomain("pair", 0, Tight).WithHits(0, 0);

        // Act
        var first = harness.Decide(check);
        var second = harness.Decide(check);

        // Assert: used = limit still passes a check, with nothing left; the count stays.
        Assert.True(first.IsAdmitted);
        Assert.True(second.IsAdmitted);
        Assert.Equal((DecisionCode.Ok, 0u), (second.Decision.Code, second.Decision.Remaining));
        Assert.False(harness.Decide("pair", Tight).IsAdmitted);
    }

    [Fact]
    public void Decide_RefusedByAnotherDescriptor_EachAdmittedOneReportedWithItsOwnHitsGivenBack()
    {
        // Arrange: loose counts 4 of its own, tight 2 of its own, more than its 1.
        var harness = EngineHarness.WithRules("two-descriptors");
        var request = TestRequest.ForDomain("pair", 1, Loose, Tight).WithHits(0, 4).WithHits(1, 2);

        // Act
        var refused = harness.Decide(request);

        // Assert
        Assert.Equal(DecisionCode.OverLimit, refused.Summary.Code);
        Assert.Equal((DecisionCode.Ok, 10u), (refused.Decisions[0].Code, refused.Decisions[0].Remaining));
        Assert.Equal(10, EngineHarness.CountAdmitted(11, () => harness.Decide("pair", Loose)));
    }

    [Fact]
    public void Decide_OpenRouterDescriptorWithHitsOfItsOwn_ReplacesTheRequests()
    {
        // Arrange
        var harness = new EngineHarness();
        var request = TestRequest.OpenRouter(1, Descriptor.Free("acct")).WithHits(0, 7);

        // Act
        var outcome = harness.Decide(request);

        // Assert
        Assert.True(outcome.IsAdmitted);
        Assert.Equal(13u, outcome.Decision.Remaining);
        Assert.Equal(7u, harness.Limit("acct", LimitUnit.Minute).Used);
    }

    [Fact]
    public void Decide_OpenRouterDescriptorHitsZero_ChecksWithoutCounting()
    {
        // Arrange: the free minute used up; a paid account with a $1 bucket emptied.
        var harness = new EngineHarness();
        Assert.Equal(20, harness.AdmitFree("free", 20));
        harness.SetBalance("paid", Money.Dollars(1));
        Assert.Equal(1, harness.AdmitPaid("paid", 2));

        // Act
        var free = harness.Decide(TestRequest.OpenRouter(1, Descriptor.Free("free")).WithHits(0, 0));
        var paid = harness.Decide(TestRequest.OpenRouter(1, Descriptor.Paid("paid")).WithHits(0, 0));

        // Assert
        Assert.Equal((DecisionCode.Ok, 0u), (free.Decision.Code, free.Decision.Remaining));
        Assert.Equal(20u, harness.Limit("free", LimitUnit.Minute).Used);
        Assert.Equal(20u, harness.Limit("free", LimitUnit.Day).Used);
        Assert.Equal((DecisionCode.Ok, 0u), (paid.Decision.Code, paid.Decision.Remaining));
        Assert.False(harness.Paid("paid").IsAdmitted);
    }
}

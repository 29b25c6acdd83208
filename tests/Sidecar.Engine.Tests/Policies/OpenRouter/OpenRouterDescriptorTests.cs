using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Policies.OpenRouter;

public sealed class OpenRouterDescriptorTests
{
    public static TheoryData<string> ValidShapes => new()
    {
        "account=acct|model=m",
        "model=m|account=acct",
        "account=acct|model=m|key=k",
        "key=k|model=m|account=acct",
        "model=m|key=k|account=acct",
        "account=acct|key=|model=m",
    };

    public static TheoryData<string> InvalidShapes => new()
    {
        string.Empty,
        "account=acct",
        "model=m",
        "account=acct|key=k",
        "model=m|key=k",
        "account=acct|account=acct",
        "account=acct|account=other|model=m",
        "account=acct|model=m|model=m",
        "account=acct|model=m|key=k|key=k",
        "account=acct|model=m|key=k|user=u",
        "account=acct|model=m|user=u",
        "account=acct|model=m|key=k|",
        "Account=acct|model=m",
        "account=acct|MODEL=m",
        "account=acct|model=m|Key=k",
        "account =acct|model=m",
        "account=|model=m",
        "account=acct|model=",
        "generic_key=x",
        "remote_address=10.0.0.1|account=acct|model=m",
    };

    [Theory]
    [MemberData(nameof(ValidShapes))]
    public void TryRead_AccountAndModelWithOptionalKeyInAnyOrder_Reads(string shape)
    {
        // Arrange
        var request = TestRequest.OpenRouter(Parse(shape));

        // Act
        var read = OpenRouterDescriptor.TryRead(ref request, 0, out var descriptor);

        // Assert
        Assert.True(read);
        Assert.Equal("acct", descriptor.Account.ToString());
        Assert.Equal("m", descriptor.Model.ToString());
    }

    [Theory]
    [MemberData(nameof(InvalidShapes))]
    public void TryRead_AnyOtherShape_NotAnOpenRouterDescriptor(string shape)
    {
        // Arrange
        var request = TestRequest.OpenRouter(Parse(shape));

        // Act
        var read = OpenRouterDescriptor.TryRead(ref request, 0, out _);

        // Assert
        Assert.False(read);
    }

    [Theory]
    [MemberData(nameof(InvalidShapes))]
    public void Decide_AnyOtherShape_NoLimitAndNothingCounted(string shape)
    {
        // Arrange
        var harness = new EngineHarness();

        // Act
        var outcome = harness.Decide(TestRequest.OpenRouter(Parse(shape)));

        // Assert
        Assert.Equal(DecisionCode.NoLimit, outcome.Summary.Code);
        Assert.Equal(-1, outcome.Summary.BindingIndex);
        Assert.Equal(DescriptorDecision.NoLimit, outcome.Decision);
        Assert.Equal(0, harness.Accounts.Count);
    }

    [Fact]
    public void TryRead_SecondDescriptor_ReadsThatDescriptor()
    {
        // Arrange
        var request = TestRequest.OpenRouter(Descriptor.Of(("x", "y")), Descriptor.For("acct-2", "model-2"));

        // Act
        var first = OpenRouterDescriptor.TryRead(ref request, 0, out _);
        var second = OpenRouterDescriptor.TryRead(ref request, 1, out var descriptor);

        // Assert
        Assert.False(first);
        Assert.True(second);
        Assert.Equal("acct-2", descriptor.Account.ToString());
        Assert.Equal("model-2", descriptor.Model.ToString());
    }

    private static (string Key, string Value)[] Parse(string shape)
        => shape.Length == 0
            ? []
            : shape.Split('|').Select(entry =>
            {
                var equals = entry.IndexOf('=', StringComparison.Ordinal);
                return equals < 0 ? (entry, string.Empty) : (entry[..equals], entry[(equals + 1)..]);
            }).ToArray();
}

using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Vocabulary;

public sealed class LimitNamesTests
{
    [Theory]
    [InlineData(LimitKind.FreePerMinute, "free-models-per-min")]
    [InlineData(LimitKind.FreePerDay, "free-models-per-day")]
    [InlineData(LimitKind.FreePerDayCredited, "free-models-per-day-high-balance")]
    [InlineData(LimitKind.PaidPerSecond, "paid-models-per-second")]
    [InlineData(LimitKind.Credits, "insufficient-credits")]
    [InlineData(LimitKind.None, "")]
    [InlineData(LimitKind.Configured, "")]
    [InlineData((LimitKind)200, "")]
    public void Of_Kind_ReturnsPublishedName(LimitKind kind, string expected)
    {
        // Arrange
        // Act
        var name = LimitNames.Of(kind);

        // Assert
        Assert.Equal(expected, name);
    }

    [Fact]
    public void Of_EveryOpenRouterKind_HasDistinctName()
    {
        // Arrange: configured limits carry their own names, in DescriptorDecision.Configured.
        var kinds = Enum.GetValues<LimitKind>().Where(k => k is not LimitKind.None and not LimitKind.Configured).ToArray();

        // Act
        var names = kinds.Select(LimitNames.Of).ToArray();

        // Assert
        Assert.All(names, name => Assert.False(string.IsNullOrEmpty(name)));
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
    }
}

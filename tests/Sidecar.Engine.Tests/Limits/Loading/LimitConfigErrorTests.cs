using Sidecar.Engine.Limits;
using Sidecar.Engine.Limits.Loading;

namespace Sidecar.Engine.Tests.Limits.Loading;

public sealed class LimitConfigErrorTests
{
    [Fact]
    public void ToString_WithLine_IsFileLineReason()
    {
        // Arrange
        var error = new LimitConfigError(new ConfigLocation("limits/a.yaml", 7), "descriptor has no key");

        // Act
        var text = error.ToString();

        // Assert
        Assert.Equal("limits/a.yaml:7: descriptor has no key", text);
    }

    [Fact]
    public void ToString_LineZero_IsFileReason()
    {
        // Arrange
        var error = new LimitConfigError(new ConfigLocation("limits", 0), "configuration directory does not exist");

        // Act
        var text = error.ToString();

        // Assert
        Assert.Equal("limits: configuration directory does not exist", text);
    }

    [Fact]
    public void Exception_Message_ListsErrorsOnePerLine()
    {
        // Arrange
        LimitConfigError[] errors =
        [
            new(new ConfigLocation("a.yaml", 1), "file has no domain"),
            new(new ConfigLocation("b.yaml", 3), "key must not be empty"),
        ];

        // Act
        var exception = new LimitConfigException(errors);

        // Assert
        Assert.Equal("a.yaml:1: file has no domain\nb.yaml:3: key must not be empty", exception.Message);
        Assert.Equal(errors, exception.Errors);
    }

    [Fact]
    public void Exception_NoErrors_Throws()
    {
        // Arrange
        // Act
        // Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => new LimitConfigException([]));
    }
}

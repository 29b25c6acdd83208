using Sidecar.Engine.Limits.Loading;

namespace Sidecar.Engine.Tests.Limits.Loading;

public sealed class TextPoolTests
{
    [Fact]
    public void Pooled_EqualTexts_OneInstance()
    {
        // Arrange
        var pool = new TextPool();
        var first = new string("client".AsSpan());
        var second = new string("client".AsSpan());

        // Act
        var pooledFirst = pool.Pooled(first);
        var pooledSecond = pool.Pooled(second);

        // Assert
        Assert.Same(first, pooledFirst);
        Assert.Same(first, pooledSecond);
        Assert.Equal("other", pool.Pooled("other"));
    }
}

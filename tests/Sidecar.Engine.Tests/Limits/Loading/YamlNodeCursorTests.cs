using Sidecar.Engine.Limits.Loading;
using YamlDotNet.Core;

namespace Sidecar.Engine.Tests.Limits.Loading;

public sealed class YamlNodeCursorTests
{
    [Fact]
    public void ReadAt_AliasOfAMap_ReadsTheAnchoredMapAgainWithItsLineAndNumber()
    {
        // Arrange
        var cursor = Open("""
            a: &m {x: 1}
            b: *m
            """);
        Assert.Equal(YamlNodeKind.Map, cursor.ReadRoot().Kind);
        Assert.True(cursor.TryReadContent(1, out _));
        var anchored = cursor.ReadAt(1);
        Assert.True(cursor.TryReadContent(1, out _));

        // Act
        var aliased = cursor.ReadAt(1);

        // Assert
        Assert.Equal(anchored, aliased);
        Assert.Equal((YamlNodeKind.Map, 1), (aliased.Kind, aliased.Line));
        Assert.Equal(2, cursor.Depth);
        Assert.True(cursor.TryReadContent(2, out var key));
        Assert.Equal("x", key.Text);
        Assert.Equal("1", cursor.ReadAt(2).Text);
        Assert.False(cursor.TryReadContent(2, out _));
        Assert.Equal(1, cursor.Depth);
    }

    [Fact]
    public void TryReadContent_PreviousNodeLeftUnread_SkipsIt()
    {
        // Arrange
        var cursor = Open("""
            skipped: [1, [2, 3], {four: 4}]
            next: 5
            """);
        cursor.ReadRoot();
        cursor.TryReadContent(1, out _);
        var list = cursor.ReadAt(1);

        // Act
        var more = cursor.TryReadContent(1, out var key);

        // Assert
        Assert.Equal(YamlNodeKind.List, list.Kind);
        Assert.True(more);
        Assert.Equal(("next", 2), (key.Text, key.Line));
        Assert.Equal("5", cursor.ReadAt(1).Text);
        Assert.False(cursor.TryReadContent(1, out _));
        Assert.Equal(0, cursor.Depth);
    }

    [Theory]
    [InlineData("a: ", true)]
    [InlineData("a: ~", true)]
    [InlineData("a: null", true)]
    [InlineData("a: NULL", true)]
    [InlineData("a: 'null'", false)]
    [InlineData("a: \"\"", false)]
    [InlineData("a: nil", false)]
    public void ReadAt_Scalar_IsNullOnlyForPlainNullSpellings(string yaml, bool isNull)
    {
        // Arrange
        var cursor = Open(yaml);
        cursor.ReadRoot();
        cursor.TryReadContent(1, out _);

        // Act
        var value = cursor.ReadAt(1);

        // Assert
        Assert.Equal(isNull, value.IsNull);
    }

    [Fact]
    public void ReadRoot_Alias_IsRefusedAsYamlDotNetsTreeRefusesIt()
    {
        // Arrange
        var cursor = new YamlNodeCursor(new YamlEventSource(new Parser(new StringReader("*x")), firstPass: null));
        cursor.ReadStreamStart();
        cursor.TryStartDocument();

        // Act
        var error = Assert.Throws<YamlException>(() => cursor.ReadRoot());

        // Assert
        Assert.Equal("A document cannot contain only an alias", error.Message);
    }

    private static YamlNodeCursor Open(string yaml)
    {
        var cursor = new YamlNodeCursor(new YamlEventSource(new Parser(new StringReader(yaml)), firstPass: null));
        cursor.ReadStreamStart();
        Assert.True(cursor.TryStartDocument());
        return cursor;
    }
}

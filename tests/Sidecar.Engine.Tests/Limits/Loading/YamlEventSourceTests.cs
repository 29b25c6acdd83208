using Sidecar.Engine.Limits.Loading;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sidecar.Engine.Tests.Limits.Loading;

public sealed class YamlEventSourceTests
{
    [Fact]
    public void Next_Alias_StandsForTheLatestNodeOfItsNameBeforeIt()
    {
        // Arrange
        var source = Source("[&x one, &x two, *x]");

        // Act
        var events = ReadAll(source);

        // Assert
        var two = events.Single(numbered => numbered.Event is Scalar { Value: "two" });
        var alias = events.Single(numbered => numbered.Event is AnchorAlias);
        Assert.Equal(two.Number, alias.Target);
        Assert.False(source.NeedsSecondPass);
    }

    [Fact]
    public void Next_AliasBeforeItsAnchor_NeedsASecondPassThatReadsTheLastNodeOfItsName()
    {
        // Arrange
        var source = Source("[*x, &x one, &x two]");

        // Act
        var events = ReadAll(source);

        // Assert
        Assert.Equal(-1, events.Single(numbered => numbered.Event is AnchorAlias).Target);
        Assert.True(source.NeedsSecondPass);
        var two = events.Single(numbered => numbered.Event is Scalar { Value: "two" });
        Assert.Equal(two.Number, source.Anchored.LastNamed("x"));
    }

    [Fact]
    public void Next_AliasInsideItsOwnNode_NeedsASecondPass()
    {
        // Arrange
        var source = Source("&x [a, *x]");

        // Act
        ReadAll(source);

        // Assert
        Assert.True(source.NeedsSecondPass);
    }

    [Fact]
    public void Next_AnchoredNode_RecordedWholeForAliasesToReadAgain()
    {
        // Arrange
        var source = Source("{a: &m {b: [1, 2]}, c: 3}");

        // Act
        var events = ReadAll(source);

        // Assert
        var map = events.Single(numbered => numbered.Event is MappingStart { Anchor.IsEmpty: false });
        var (first, last) = source.Anchored.SliceOf(map.Number);
        Assert.True(source.Anchored.IsComplete(map.Number));
        Assert.Equal(
            ["MappingStart", "Scalar", "SequenceStart", "Scalar", "Scalar", "SequenceEnd", "MappingEnd"],
            Enumerable.Range(first, last - first + 1).Select(index => source.Anchored[index].Event.GetType().Name));
    }

    [Theory]
    [InlineData("{a: 1, a: 2}", "Duplicate key a")]
    [InlineData("{a: 1, \"a\": 2}", "Duplicate key a")]
    [InlineData("k: &k a\na: 1\n*k : 2\n", "Duplicate key a")]
    [InlineData("{? [x, y] : 1, ? [x, y] : 2}", "Duplicate key [ x, y ]")]
    [InlineData("{? &m {x: y} : 1, *m : 2}", "Duplicate key { { x, y } }")]
    public void Next_KeyTwiceInAMap_RefusedOnceItsValueIsRead(string yaml, string message)
    {
        // Arrange
        var source = Source(yaml);

        // Act
        var error = Assert.Throws<YamlException>(() => ReadAll(source));

        // Assert
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("{a: 1, !!str a: 2}")]
    [InlineData("{? {x: y} : 1, ? {x: y} : 2}")]
    [InlineData("[{a: 1}, {a: 2}]")]
    public void Next_KeysTheTreeTellsApart_Accepted(string yaml)
    {
        // Arrange
        var source = Source(yaml);

        // Act
        var events = ReadAll(source);

        // Assert
        Assert.IsType<StreamEnd>(events[^1].Event);
    }

    [Fact]
    public void Next_AliasWhoseAnchorTheDocumentNeverDefines_RefusedAtTheAliasAtTheDocumentsEnd()
    {
        // Arrange
        var source = Source("a: 1\nb: *nope\n");

        // Act
        var error = Assert.Throws<AnchorNotFoundException>(() => ReadAll(source));

        // Assert
        Assert.Equal("The anchor 'nope' does not exists", error.Message);
        Assert.Equal(2, error.Start.Line);
    }

    private static YamlEventSource Source(string yaml) => new(new Parser(new StringReader(yaml)), firstPass: null);

    private static List<NumberedEvent> ReadAll(YamlEventSource source)
    {
        var events = new List<NumberedEvent>();
        do
        {
            events.Add(source.Next());
        }
        while (events[^1].Event is not StreamEnd);

        return events;
    }
}

using Sidecar.Engine.Limits.Loading;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Engine.Tests.Limits.Loading;

public sealed class KeyNodeBuilderTests
{
    [Fact]
    public void Add_EventsOfANestedKey_BuildsTheNodeYamlDotNetWould()
    {
        // Arrange
        var builder = new KeyNodeBuilder();
        var events = Events("[a, {b: c}, [d]]");

        // Act
        var completedAt = events.FindIndex(parsingEvent => builder.Add(parsingEvent, aliased: null));

        // Assert
        Assert.Equal(events.Count - 1, completedAt);
        Assert.Equal("[ a, { { b, c } }, [ d ] ]", builder.Built!.ToString());
    }

    [Fact]
    public void Add_Alias_TakesTheNodeGivenForIt()
    {
        // Arrange
        var builder = new KeyNodeBuilder();
        var aliased = new YamlScalarNode("target");

        // Act
        builder.Add(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Flow), null);
        builder.Add(new AnchorAlias(new AnchorName("x")), aliased);
        builder.Add(new SequenceEnd(), null);

        // Assert
        Assert.Same(aliased, Assert.Single(((YamlSequenceNode)builder.Built!).Children));
    }

    [Fact]
    public void Add_KeyTwiceInAMap_KeepsTheFirstForTheSourceToRefuse()
    {
        // Arrange
        var builder = new KeyNodeBuilder();

        // Act
        foreach (var parsingEvent in Events("{a: 1, a: 2}"))
        {
            builder.Add(parsingEvent, aliased: null);
        }

        // Assert
        Assert.Equal("{ { a, 1 } }", builder.Built!.ToString());
    }

    /// <summary>The events of <paramref name="yaml"/>'s one node (the parser does not check duplicate keys).</summary>
    private static List<ParsingEvent> Events(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var events = new List<ParsingEvent>();
        while (parser.MoveNext())
        {
            if (parser.Current is not (StreamStart or StreamEnd or DocumentStart or DocumentEnd))
            {
                events.Add(parser.Current!);
            }
        }

        return events;
    }
}

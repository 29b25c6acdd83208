using Sidecar.Engine.Limits.Loading;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Engine.Tests.Limits.Loading;

public sealed class MapKeysTests
{
    [Fact]
    public void Add_ScalarKeys_ComparedByTagAndText()
    {
        // Arrange
        var keys = new MapKeys();

        // Act
        var first = keys.Add(null, "a");
        var again = keys.Add(null, "a");
        var tagged = keys.Add("tag:yaml.org,2002:str", "a");

        // Assert
        Assert.Equal((true, false, true), (first, again, tagged));
    }

    [Fact]
    public void Add_ManyKeys_StillFindsEveryOne()
    {
        // Arrange
        var keys = new MapKeys();
        for (var i = 0; i < 100; i++)
        {
            Assert.True(keys.Add(null, $"k{i}"));
        }

        // Act
        // Assert
        Assert.All(Enumerable.Range(0, 100), i => Assert.False(keys.Add(null, $"k{i}")));
    }

    [Fact]
    public void Add_NodeKeys_ListsByContentMapsByIdentity()
    {
        // Arrange
        var keys = new MapKeys();
        var map = new YamlMappingNode { { "x", "y" } };

        // Act
        var list = keys.Add(new YamlSequenceNode("a", "b"));
        var equalList = keys.Add(new YamlSequenceNode("a", "b"));
        var firstMap = keys.Add(map);
        var equalMap = keys.Add(new YamlMappingNode { { "x", "y" } });
        var sameMap = keys.Add(map);

        // Assert
        Assert.Equal((true, false, true, true, false), (list, equalList, firstMap, equalMap, sameMap));
    }

    [Fact]
    public void Clear_ForgetsEveryKey()
    {
        // Arrange
        var keys = new MapKeys();
        for (var i = 0; i < 20; i++)
        {
            keys.Add(null, $"k{i}");
        }

        keys.Add(new YamlSequenceNode("a"));

        // Act
        keys.Clear();

        // Assert
        Assert.True(keys.Add(null, "k0"));
        Assert.True(keys.Add(null, "k19"));
        Assert.True(keys.Add(new YamlSequenceNode("a")));
    }
}

using Sidecar.Wire.Tests.TestSupport.EnvoyConfig;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Wire.Tests;

/// <summary>YAML scalars read as Envoy's loader reads them (yaml-cpp's booleans and integers, then JSON); no package needed.</summary>
public sealed class EnvoyScalarTests
{
    [Theory]
    [InlineData("OFF", "Boolean", "OFF")]
    [InlineData("Yes", "Boolean", "Yes")]
    [InlineData("y", "Boolean", "y")]
    [InlineData("yES", "String", "yES")]
    [InlineData("\"OFF\"", "String", "OFF")]
    [InlineData("8081", "Number", "8081")]
    [InlineData("0x1F", "Number", "31")]
    [InlineData("0o17", "Number", "15")]
    [InlineData("4294967296", "String", "4294967296")]
    [InlineData("'8081'", "String", "8081")]
    [InlineData("0.020s", "String", "0.020s")]
    [InlineData("1.5", "String", "1.5")]
    [InlineData("~", "Null", "~")]
    [InlineData("null", "Null", "null")]
    public void Of_PlainOrQuotedScalar_ReadAsEnvoyReadsIt(string yaml, string kind, string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader($"value: {yaml}"));
        var node = (YamlScalarNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("value")];

        var scalar = EnvoyScalar.Of(node);

        Assert.Equal(Enum.Parse<EnvoyScalarKind>(kind), scalar.Kind);
        Assert.Equal(text, scalar.Text);
    }

    [Fact]
    public void Of_BooleanWords_TrueAndFalseAsYamlCppReadsThem()
    {
        static bool Read(string word) => EnvoyScalar.Of(new YamlScalarNode(word)).Boolean;

        Assert.All(["true", "True", "TRUE", "yes", "on", "y"], word => Assert.True(Read(word)));
        Assert.All(["false", "no", "Off", "N"], word => Assert.False(Read(word)));
    }
}

using Sidecar.Engine.Decisions;
using Sidecar.Host.Hosting;

namespace Sidecar.Host.Tests.Architecture;

public sealed class NamespaceCycleTests
{
    [Fact]
    public void EngineAndHost_Namespaces_ImportNoNamespaceThatImportsThemBack()
    {
        // Arrange
        var graph = NamespaceDependencies.Of(typeof(RateLimitEngine).Assembly, typeof(SidecarServer).Assembly);

        // Act
        var cycles = NamespaceDependencies.Cycles(graph);

        // Assert
        Assert.True(graph.Count > 10, "the walk found the engine's and the host's namespaces");
        Assert.Empty(cycles);
    }

    [Fact]
    public void Cycles_TwoNamespacesUsingEachOther_ReportsTheLoop()
    {
        // Arrange: the check itself must see a loop when there is one.
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };

        // Act
        var cycles = NamespaceDependencies.Cycles(graph);

        // Assert
        Assert.Equal(["A -> B -> C -> A"], cycles);
    }

    [Fact]
    public void Of_Engine_SeesReferencesMadeOnlyInsideMethodBodies()
    {
        // Arrange: the policies reach the accounts' counters only inside their method bodies.
        var graph = NamespaceDependencies.Of(typeof(RateLimitEngine).Assembly);

        // Act
        var uses = graph["Sidecar.Engine.Policies.OpenRouter"];

        // Assert
        Assert.Contains("Sidecar.Engine.Counters", uses);
        Assert.Contains("Sidecar.Engine.State.Accounts", uses);
    }
}

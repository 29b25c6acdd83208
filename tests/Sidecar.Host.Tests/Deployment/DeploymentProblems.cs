using YamlDotNet.RepresentationModel;

namespace Sidecar.Host.Tests.Deployment;

/// <summary>What the deployment checks found, each as <c>file:line: problem</c> (or <c>file: problem</c>), files relative to the repository.</summary>
internal sealed class DeploymentProblems
{
    private readonly List<string> _problems = [];

    /// <summary>Everything found, in the order found.</summary>
    public IReadOnlyList<string> All => _problems;

    /// <summary>A problem of a whole file.</summary>
    public void Add(string file, string problem) => _problems.Add($"{file}: {problem}");

    /// <summary>A problem at a line of a file.</summary>
    public void Add(string file, long line, string problem) => _problems.Add($"{file}:{line}: {problem}");

    /// <summary>A problem at a node of a YAML file.</summary>
    public void Add(string file, YamlNode node, string problem) => Add(file, node.Line(), problem);

    /// <summary>Adds <paramref name="problem"/> at <paramref name="node"/> unless <paramref name="holds"/>.</summary>
    public void Require(bool holds, string file, YamlNode node, string problem)
    {
        if (!holds)
        {
            Add(file, node, problem);
        }
    }

    /// <summary>The environment's unknown variables and settings, and the values the sidecar would refuse, for the sidecar of <paramref name="where"/>.</summary>
    public void AddSettingsProblems(string file, YamlNode where, SidecarEnvironment sidecar)
    {
        foreach (var variable in sidecar.UnknownVariables)
        {
            Add(file, where, $"{variable} is no variable the sidecar reads (its settings are Sidecar__*, and the reference's variables are {string.Join(", ", Sidecar.Host.Hosting.ReferenceEnvironment.Variables)})");
        }

        foreach (var unknown in sidecar.UnknownSettings)
        {
            Add(file, where, $"{unknown.Key} is no setting; the closest is {unknown.Closest}");
        }

        foreach (var invalid in sidecar.InvalidSettings())
        {
            Add(file, where, $"the sidecar would not start: {invalid}");
        }
    }
}

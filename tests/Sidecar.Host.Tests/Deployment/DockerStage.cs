namespace Sidecar.Host.Tests.Deployment;

/// <summary>One stage of a Dockerfile: its base image, its name, and its instructions after <c>FROM</c>.</summary>
/// <param name="BaseImage">The image after <c>FROM</c>.</param>
/// <param name="Name">The name after <c>AS</c>, or null.</param>
/// <param name="Line">The line of its <c>FROM</c>.</param>
internal sealed record DockerStage(string BaseImage, string? Name, int Line)
{
    /// <summary>The stage's instructions: the keyword (upper case) and its arguments.</summary>
    public List<(string Keyword, string Arguments)> Instructions { get; } = [];

    /// <summary>The arguments of each <paramref name="keyword"/> instruction, in order.</summary>
    public IEnumerable<string> Arguments(string keyword) =>
        Instructions.Where(instruction => instruction.Keyword == keyword).Select(instruction => instruction.Arguments);
}

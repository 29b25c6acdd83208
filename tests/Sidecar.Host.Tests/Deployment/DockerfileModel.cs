using System.Text.RegularExpressions;

namespace Sidecar.Host.Tests.Deployment;

/// <summary>
/// What the deployment checks read from the Dockerfile: each stage's base image and instructions
/// (lines continued with a backslash joined), and the final stage's environment, ports, volumes,
/// user and entry point.
/// </summary>
internal sealed partial class DockerfileModel
{
    private DockerfileModel(IReadOnlyList<DockerStage> stages) => Stages = stages;

    /// <summary>The stages, in order; the last one is the image.</summary>
    public IReadOnlyList<DockerStage> Stages { get; }

    /// <summary>The image's stage.</summary>
    public DockerStage Image => Stages[^1];

    /// <summary>The image's <c>ENV</c> variables, in order (a later one wins).</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        Image.Arguments("ENV").SelectMany(EnvironmentPairs).GroupBy(pair => pair.Key).ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.Ordinal);

    /// <summary>The image's <c>EXPOSE</c>d TCP ports.</summary>
    public IReadOnlyList<int> ExposedPorts =>
        [.. Image.Arguments("EXPOSE").SelectMany(Words).Select(port => int.Parse(port.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The image's <c>VOLUME</c>s.</summary>
    public IReadOnlyList<string> Volumes => [.. Image.Arguments("VOLUME").SelectMany(Words)];

    /// <summary>The image's last <c>USER</c>, or null (root).</summary>
    public string? User => Image.Arguments("USER").LastOrDefault()?.Trim();

    /// <summary>The image's <c>ENTRYPOINT</c>, as written.</summary>
    public string? EntryPoint => Image.Arguments("ENTRYPOINT").LastOrDefault();

    /// <summary>Parses a Dockerfile's text.</summary>
    public static DockerfileModel Parse(string text)
    {
        var stages = new List<DockerStage>();
        foreach (var (keyword, arguments, line) in Instructions(text))
        {
            if (keyword == "FROM")
            {
                var words = Words(arguments);
                stages.Add(new DockerStage(words[0], words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null, line));
            }
            else if (stages.Count > 0)
            {
                stages[^1].Instructions.Add((keyword, arguments));
            }
        }

        return stages.Count == 0 ? throw new InvalidOperationException("The Dockerfile has no FROM.") : new DockerfileModel(stages);
    }

    /// <summary>The instructions, continuation lines joined, comments and blank lines dropped, each with its first line.</summary>
    private static IEnumerable<(string Keyword, string Arguments, int Line)> Instructions(string text)
    {
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var first = index;
            var line = lines[index].TrimEnd('\r');
            if (line.TrimStart().StartsWith('#') || line.Trim().Length == 0)
            {
                continue;
            }

            while (line.EndsWith('\\') && index + 1 < lines.Length)
            {
                index++;
                line = line[..^1] + " " + lines[index].TrimEnd('\r').Trim();
            }

            var trimmed = line.Trim();
            var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
            yield return space < 0
                ? (trimmed.ToUpperInvariant(), string.Empty, first + 1)
                : (trimmed[..space].ToUpperInvariant(), trimmed[(space + 1)..].Trim(), first + 1);
        }
    }

    /// <summary><c>ENV a=1 b=2</c> (or the older <c>ENV a 1</c>): the pairs, unquoted.</summary>
    private static IEnumerable<KeyValuePair<string, string>> EnvironmentPairs(string arguments)
    {
        if (!arguments.Contains('=', StringComparison.Ordinal))
        {
            var space = arguments.IndexOf(' ', StringComparison.Ordinal);
            yield return new(arguments[..space], arguments[(space + 1)..].Trim());
            yield break;
        }

        foreach (Match pair in EnvironmentPair().Matches(arguments))
        {
            yield return new(pair.Groups["key"].Value, pair.Groups["value"].Value.Trim('"'));
        }
    }

    private static List<string> Words(string arguments) => [.. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    [GeneratedRegex("""(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>"[^"]*"|\S*)""")]
    private static partial Regex EnvironmentPair();
}

using System.Text.RegularExpressions;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>An Envoy image a deployment file under envoy/ runs (compose, Kubernetes), and the Envoy release its tag names.</summary>
/// <param name="File">The file, relative to the repository.</param>
/// <param name="Line">The line of the image, from 1.</param>
/// <param name="Image">The image reference, e.g. <c>envoyproxy/envoy:v1.33-latest</c>.</param>
/// <param name="Release">The release its tag names (<c>v1.33-latest</c> is 1.33.0 or later), or null when the tag names none.</param>
internal sealed partial record EnvoyImage(string File, int Line, string Image, Version? Release)
{
    /// <summary>Every <c>envoyproxy/envoy*</c> image named under <paramref name="repoRoot"/>/envoy.</summary>
    public static IReadOnlyList<EnvoyImage> Find(string repoRoot)
    {
        var images = new List<EnvoyImage>();
        foreach (var path in Directory.EnumerateFiles(Path.Combine(repoRoot, EnvoyConfigFiles.Folder), "*.y*ml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var lines = System.IO.File.ReadAllLines(path);
            for (var index = 0; index < lines.Length; index++)
            {
                if (ImagePattern().Match(lines[index]) is not { Success: true } match)
                {
                    continue;
                }

                var tag = TagPattern().Match(match.Groups["tag"].Value);
                var release = tag.Success
                    ? new Version(int.Parse(tag.Groups["major"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(tag.Groups["minor"].Value, System.Globalization.CultureInfo.InvariantCulture), tag.Groups["patch"].Success ? int.Parse(tag.Groups["patch"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0)
                    : null;
                images.Add(new EnvoyImage(Path.GetRelativePath(repoRoot, path).Replace(Path.DirectorySeparatorChar, '/'), index + 1, match.Groups["image"].Value, release));
            }
        }

        return images;
    }

    public override string ToString() => $"{File}:{Line}: {Image}";

    [GeneratedRegex("""^\s*-?\s*image:\s*["']?(?<image>envoyproxy/envoy[a-z-]*(?::(?<tag>[^\s"']+))?)""")]
    private static partial Regex ImagePattern();

    [GeneratedRegex(@"^v(?<major>\d+)\.(?<minor>\d+)(?:\.(?<patch>\d+))?(?:-latest)?$")]
    private static partial Regex TagPattern();
}

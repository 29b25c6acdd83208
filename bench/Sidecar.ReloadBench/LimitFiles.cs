using System.Globalization;
using System.Text;

namespace Sidecar.ReloadBench;

/// <summary>
/// The limits directory of one round: <c>api.yaml</c>, and <c>big.yaml</c> first holding one
/// <c>client</c> value, then replaced at once (a dot-file written beside it, then renamed over it) by
/// the large file (<see cref="StageLarge"/>, <see cref="SwapLarge"/>): <c>client-000000</c> to <c>client-NNNNNN</c>, 100 to 149 per minute.
/// </summary>
internal sealed class LimitFiles : IDisposable
{
    private readonly string _largeFile;

    public LimitFiles(string largeFile)
    {
        _largeFile = largeFile;
        Directory = System.IO.Directory.CreateTempSubdirectory("reload-bench-limits-").FullName;
        File.WriteAllText(Path.Combine(Directory, "api.yaml"), """
            domain: api
            descriptors:
              - key: client
                rate_limit: {unit: second, requests_per_unit: 1000000}

            """);
        File.WriteAllText(Path.Combine(Directory, "big.yaml"), """
            domain: big
            descriptors:
              - key: client
                value: client-000000
                rate_limit: {unit: minute, requests_per_unit: 1000}

            """);
    }

    public string Directory { get; }

    /// <summary>
    /// Writes the large file, <paramref name="descriptors"/> descriptors, as <c>big.yaml</c> alone in
    /// a new temporary directory; returns its path.
    /// </summary>
    public static string GenerateLarge(int descriptors)
    {
        var path = Path.Combine(System.IO.Directory.CreateTempSubdirectory("reload-bench-large-").FullName, "big.yaml");
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
        writer.Write("domain: big\ndescriptors:\n");
        for (var i = 0; i < descriptors; i++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"  - key: client\n    value: client-{i:D6}\n    rate_limit: {{unit: minute, requests_per_unit: {100 + (i % 50)}}}\n"));
        }

        return path;
    }

    /// <summary>The limit the large file gives <c>client-{index}</c>.</summary>
    public static uint LargeLimitOf(int index) => (uint)(100 + (index % 50));

    private string Staged => Path.Combine(Directory, ".big.yaml.tmp");

    /// <summary>Copies the large file beside <c>big.yaml</c> under a dot-name, which the sidecar never reads.</summary>
    public void StageLarge() => File.Copy(_largeFile, Staged, overwrite: true);

    /// <summary>Renames the staged file over <c>big.yaml</c>: the change the sidecar reloads.</summary>
    /// <returns>The timestamp of the rename (<see cref="System.Diagnostics.Stopwatch"/>).</returns>
    public long SwapLarge()
    {
        File.Move(Staged, Path.Combine(Directory, "big.yaml"), overwrite: true);
        return System.Diagnostics.Stopwatch.GetTimestamp();
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

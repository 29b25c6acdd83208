namespace Sidecar.Host.Tests.Limits;

/// <summary>
/// A fresh configuration directory in the temp folder. Files are replaced atomically (written
/// beside, then renamed over), as deployment tools do, so a watcher never sees half a file.
/// </summary>
internal sealed class TempLimitsDirectory : IDisposable
{
    public TempLimitsDirectory()
    {
        Directory.CreateDirectory(Path);
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sidecar-limits-{Guid.NewGuid():N}");

    /// <summary>Writes <paramref name="name"/> with <paramref name="content"/> and returns its path.</summary>
    public string Write(string name, string content)
    {
        var target = System.IO.Path.Combine(Path, name);
        var temporary = System.IO.Path.Combine(Path, $".{name}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, content);
        File.Move(temporary, target, overwrite: true);
        return target;
    }

    public void Delete(string name) => File.Delete(System.IO.Path.Combine(Path, name));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is cleaned eventually.
        }
    }

    /// <summary>A one-descriptor domain: <paramref name="key"/> limited to <paramref name="requestsPerUnit"/> per <paramref name="unit"/>.</summary>
    public static string Domain(string domain, string key, int requestsPerUnit, string unit = "minute") => $"""
        domain: {domain}
        descriptors:
          - key: {key}
            rate_limit:
              unit: {unit}
              requests_per_unit: {requestsPerUnit}

        """;
}

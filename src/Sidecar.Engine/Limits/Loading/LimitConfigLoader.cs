using System.Text;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// Loads limits written in envoyproxy/ratelimit's YAML format, plus this sidecar's two extensions
/// (<c>rate_limits</c>, several limits on one descriptor, and a limit's <c>algorithm</c>), and
/// checks them all: a configuration with any problem is refused as a whole, with every problem found.
/// </summary>
public static class LimitConfigLoader
{
    private const string FileExtension = ".yaml";

    private const int ReadBufferBytes = 1 << 16;

    /// <summary>
    /// Loads every <c>*.yaml</c> file directly in <paramref name="directory"/>, in ordinal order of
    /// their names, following symbolic links (Kubernetes mounts a ConfigMap's files as links) and
    /// skipping names that start with <c>.</c>. A directory without such files gives a configuration
    /// without domains.
    /// </summary>
    /// <param name="directory">The directory; error locations name its files as <c>Path.Combine(directory, name)</c>.</param>
    /// <param name="mergeDomains">
    /// Merge files that declare the same domain, their descriptors one after the other (the
    /// reference's <c>MERGE_DOMAIN_CONFIG</c>); otherwise a domain declared twice is an error.
    /// </param>
    /// <param name="paced">
    /// Keep the garbage collector's pauses short while the files are read, at some cost in time: for
    /// a reload beside running decisions, not at startup or in <c>check-config</c>.
    /// </param>
    /// <returns>The checked configuration.</returns>
    /// <exception cref="LimitConfigException">The directory does not exist, or a file cannot be read or has a problem.</exception>
    public static LimitConfiguration LoadDirectory(string directory, bool mergeDomains = false, bool paced = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new LimitConfigException([new LimitConfigError(new ConfigLocation(directory, 0), "configuration directory does not exist")]);
        }

        var errors = new List<LimitConfigError>();
        var domains = new DomainMerger(mergeDomains);
        var pacer = CollectionPacer.ForReading(paced);
        foreach (var path in FilesIn(directory))
        {
            if (Read(path, errors, pacer) is { } file)
            {
                errors.AddRange(file.Errors);
                domains.Add(file, errors);
            }
        }

        return errors.Count > 0 ? throw new LimitConfigException(errors) : domains.ToConfiguration();
    }

    /// <summary>Reads the text of one configuration file.</summary>
    /// <param name="path">The file's path, as error locations name it.</param>
    /// <param name="yaml">The file's text.</param>
    /// <returns>The domain the file declares, with its descriptors.</returns>
    /// <exception cref="LimitConfigException">The file has a problem.</exception>
    public static DomainRules ParseFile(string path, string yaml)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(yaml);
        var file = ConfigFileParser.Parse(path, () => new StringReader(yaml), pacer: null);
        return file.Errors.Count == 0 && file.Rules is { } rules ? rules : throw new LimitConfigException(file.Errors);
    }

    /// <summary>
    /// The files <see cref="LoadDirectory"/> reads from <paramref name="directory"/>, in the order it
    /// reads them: <c>*.yaml</c> directly in it, not starting with <c>.</c>, ordinal by name, each as
    /// <c>Path.Combine(directory, name)</c>.
    /// </summary>
    /// <exception cref="IOException">The directory cannot be listed.</exception>
    public static IReadOnlyList<string> FilesIn(string directory) =>
        [.. new DirectoryInfo(directory).EnumerateFiles()
            .Select(file => file.Name)
            .Where(name => !name.StartsWith('.') && name.EndsWith(FileExtension, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => Path.Combine(directory, name))];

    /// <summary>
    /// Reads one file as it streams from the disk (UTF-8 unless a byte order mark says otherwise, as
    /// <see cref="File.ReadAllText(string)"/>), its text never held whole; <see langword="null"/>
    /// when it cannot be read (reported). A second pass, if any, reads the same open file again.
    /// </summary>
    private static ParsedConfigFile? Read(string path, List<LimitConfigError> errors, CollectionPacer? pacer)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBufferBytes, FileOptions.SequentialScan);
            return ConfigFileParser.Parse(
                path,
                () =>
                {
                    stream.Position = 0;
                    return new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, ReadBufferBytes, leaveOpen: true);
                },
                pacer);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            errors.Add(new LimitConfigError(new ConfigLocation(path, 0), $"cannot read the file: {exception.Message}"));
            return null;
        }
    }
}

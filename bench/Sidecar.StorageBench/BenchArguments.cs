using System.Globalization;

namespace Sidecar.StorageBench;

/// <summary>
/// The options after the command word (<c>--name value</c>, or a bare <c>--flag</c>), read by the
/// command that runs; <see cref="Finish"/> refuses any it did not read and returns the command line
/// with every value used, defaults included.
/// </summary>
internal sealed class BenchArguments
{
    private readonly string _command;
    private readonly Dictionary<string, string?> _given = new(StringComparer.Ordinal);
    private readonly List<string> _used = [];

    /// <summary>Reads <paramref name="options"/>, the arguments after <paramref name="command"/>.</summary>
    /// <exception cref="ArgumentException">An argument is not an option, or an option is given twice.</exception>
    public BenchArguments(string command, string[] options)
    {
        _command = command;
        for (var i = 0; i < options.Length; i++)
        {
            var name = options[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{name}' is not an option (--name value).");
            }

            string? value = null;
            if (i + 1 < options.Length && !options[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = options[++i];
            }

            if (!_given.TryAdd(name, value))
            {
                throw new ArgumentException($"{name} is given twice.");
            }
        }
    }

    /// <summary>The positive whole number option <paramref name="name"/>, or <paramref name="defaultValue"/>.</summary>
    public int Int(string name, int defaultValue)
    {
        var value = defaultValue;
        if (_given.Remove(name, out var text)
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value <= 0))
        {
            throw new ArgumentException($"{name} takes a positive whole number, not '{text}'.");
        }

        _used.Add($"{name} {value}");
        return value;
    }

    /// <summary>The text option <paramref name="name"/>, which must be given.</summary>
    public string Text(string name)
        => Optional(name) ?? throw new ArgumentException($"{name} must be given.");

    /// <summary>The text option <paramref name="name"/>, or <see langword="null"/> when it is not given.</summary>
    public string? Optional(string name)
    {
        if (!_given.Remove(name, out var text))
        {
            return null;
        }

        if (string.IsNullOrEmpty(text))
        {
            throw new ArgumentException($"{name} takes a value.");
        }

        _used.Add($"{name} {text}");
        return text;
    }

    /// <summary>Whether the bare option <paramref name="name"/> is given.</summary>
    public bool Flag(string name)
    {
        if (!_given.Remove(name, out var text))
        {
            return false;
        }

        if (text is not null)
        {
            throw new ArgumentException($"{name} takes no value, not '{text}'.");
        }

        _used.Add(name);
        return true;
    }

    /// <summary>Option <c>--dir</c>, an existing directory: where each run makes its fresh directory; the system temp directory by default.</summary>
    public string Directory()
    {
        var directory = Path.GetTempPath();
        if (_given.Remove("--dir", out var text))
        {
            directory = text is not null && System.IO.Directory.Exists(text)
                ? Path.GetFullPath(text)
                : throw new ArgumentException($"--dir takes an existing directory, not '{text}'.");
        }

        _used.Add($"--dir {directory}");
        return directory;
    }

    /// <summary>The command line as run, every option with the value used.</summary>
    /// <exception cref="ArgumentException">An option was given that the command does not read.</exception>
    public string Finish()
    {
        if (_given.Count > 0)
        {
            throw new ArgumentException($"'{_command}' takes no option {string.Join(", ", _given.Keys)}.");
        }

        return string.Join(' ', [_command, .. _used]);
    }
}

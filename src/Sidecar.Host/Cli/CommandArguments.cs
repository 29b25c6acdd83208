using System.Globalization;
using System.Numerics;

namespace Sidecar.Host.Cli;

/// <summary>
/// A command's arguments after its name: options with a value (<c>--name value</c> or
/// <c>--name=value</c>; a value may start with <c>-</c>, as a negative balance does), flags
/// (<c>--json</c>) and positional arguments (<c>-</c>, standard input, is one). An option the command
/// does not declare is a usage error, and so is an option given twice unless the command reads all
/// its values (<see cref="All"/>).
/// </summary>
internal sealed class CommandArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    private CommandArguments()
    {
    }

    /// <summary>The arguments that are neither options nor their values, in order.</summary>
    public IReadOnlyList<string> Positional => _positional;

    /// <summary>Parses <paramref name="args"/> against the command's <paramref name="options"/> (which take a value) and <paramref name="flags"/>.</summary>
    /// <exception cref="UsageException">An undeclared option, a flag given a value, or an option without one.</exception>
    public static CommandArguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> options, IReadOnlyCollection<string> flags)
    {
        ArgumentNullException.ThrowIfNull(args);
        var parsed = new CommandArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.Length < 2 || arg[0] != '-')
            {
                parsed._positional.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            if (flags.Contains(name))
            {
                if (equals >= 0)
                {
                    throw new UsageException($"{name} takes no value.");
                }

                parsed._flags.Add(name);
            }
            else if (options.Contains(name))
            {
                string value;
                if (equals >= 0)
                {
                    value = arg[(equals + 1)..];
                }
                else if (i + 1 < args.Count)
                {
                    value = args[++i];
                }
                else
                {
                    throw new UsageException($"{name} needs a value.");
                }

                if (!parsed._values.TryGetValue(name, out var values))
                {
                    parsed._values[name] = values = [];
                }

                values.Add(value);
            }
            else
            {
                throw new UsageException($"unknown option '{arg}'.");
            }
        }

        return parsed;
    }

    /// <summary>Whether <paramref name="flag"/> was given.</summary>
    public bool Has(string flag) => _flags.Contains(flag);

    /// <summary>Whether <paramref name="option"/> was given a value.</summary>
    public bool Given(string option) => _values.ContainsKey(option);

    /// <summary>Every value of <paramref name="option"/>, in order; empty when it was not given.</summary>
    public IReadOnlyList<string> All(string option) => _values.TryGetValue(option, out var values) ? values : [];

    /// <summary>The value of <paramref name="option"/>; <see langword="null"/> when it was not given.</summary>
    /// <exception cref="UsageException">It was given more than once.</exception>
    public string? Single(string option) => All(option) switch
    {
        [] => null,
        [var value] => value,
        _ => throw new UsageException($"{option} is given more than once."),
    };

    /// <summary>The value of <paramref name="option"/>, which the command needs.</summary>
    /// <exception cref="UsageException">It was not given, or more than once.</exception>
    public string Required(string option) => Single(option) ?? throw new UsageException($"{option} is missing.");

    /// <summary>The value of <paramref name="option"/> as a whole number of type <typeparamref name="T"/>; <see langword="null"/> when not given.</summary>
    /// <exception cref="UsageException">It is not a whole number in <typeparamref name="T"/>'s range.</exception>
    public T? Number<T>(string option)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (Single(option) is not { } text)
        {
            return null;
        }

        if (!T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"{option} '{text}' is not a whole number from {T.MinValue} to {T.MaxValue}."));
        }

        return value;
    }
}

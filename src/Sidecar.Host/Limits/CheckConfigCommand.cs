using Sidecar.Engine.Limits;
using Sidecar.Engine.Limits.Loading;

namespace Sidecar.Host.Limits;

/// <summary>
/// <c>sidecar check-config DIR [--merge-domains]</c>: loads a configuration directory with the
/// loader and settings the sidecar uses, without starting it. Prints one line per domain and exits
/// 0; prints every error (<c>file:line: reason</c>) to standard error and exits 1; prints its usage
/// and exits 2 when the arguments are wrong.
/// </summary>
internal static class CheckConfigCommand
{
    /// <summary>The command's name, the process's first argument.</summary>
    public const string Name = "check-config";

    /// <summary>Exit code: the directory loads.</summary>
    public const int Valid = 0;

    /// <summary>Exit code: the directory does not load.</summary>
    public const int Invalid = 1;

    /// <summary>Exit code: wrong arguments.</summary>
    public const int Usage = 2;

    private const string MergeDomainsFlag = "--merge-domains";
    private const string MergeDomainsSetting = "--Sidecar:Limits:MergeDomains=";

    private const string UsageText = """
        usage: sidecar check-config DIR [--merge-domains]

        Loads the *.yaml files of DIR as the sidecar would (Sidecar:Limits:Directory) and reports
        every error with its file and line. --merge-domains (or --Sidecar:Limits:MergeDomains=true)
        merges files that declare the same domain, as Sidecar:Limits:MergeDomains does.
        Exit codes: 0 valid, 1 errors, 2 usage.
        """;

    /// <summary>Runs the command.</summary>
    /// <param name="args">The arguments after <see cref="Name"/>: the directory and optional flags.</param>
    /// <param name="output">Where the summary goes (standard output).</param>
    /// <param name="error">Where errors and the usage go (standard error).</param>
    /// <returns>The process exit code: <see cref="Valid"/>, <see cref="Invalid"/> or <see cref="Usage"/>.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        if (args.Any(arg => arg is "-h" or "--help"))
        {
            output.WriteLine(UsageText);
            return Valid;
        }

        if (!TryParse(args, out var directory, out var mergeDomains, out var problem))
        {
            error.WriteLine($"check-config: {problem}");
            error.WriteLine(UsageText);
            return Usage;
        }

        LimitConfiguration configuration;
        try
        {
            configuration = LimitConfigLoader.LoadDirectory(directory, mergeDomains);
        }
        catch (LimitConfigException ex)
        {
            foreach (var configError in ex.Errors)
            {
                error.WriteLine(configError.ToString());
            }

            return Invalid;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{directory}: {ex.Message}");
            return Invalid;
        }

        if (configuration.Domains.Count == 0)
        {
            output.WriteLine($"{directory}: no domains");
            return Valid;
        }

        foreach (var domain in configuration.Domains.Values.OrderBy(domain => domain.Domain, StringComparer.Ordinal))
        {
            output.WriteLine(Summarize(domain));
        }

        return Valid;
    }

    /// <summary>One line about a domain: its name, what it declares and where.</summary>
    private static string Summarize(DomainRules domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var descriptors = 0;
        var limits = 0;
        Count(domain.Descriptors, ref descriptors, ref limits);
        return $"{domain.Domain}: {descriptors} descriptors, {limits} limits ({string.Join(", ", domain.Files)})";
    }

    private static void Count(IReadOnlyList<DescriptorRule> rules, ref int descriptors, ref int limits)
    {
        foreach (var rule in rules)
        {
            descriptors++;
            limits += rule.Limits.Count;
            Count(rule.Descriptors, ref descriptors, ref limits);
        }
    }

    private static bool TryParse(string[] args, out string directory, out bool mergeDomains, out string problem)
    {
        directory = string.Empty;
        mergeDomains = false;
        problem = string.Empty;
        foreach (var arg in args)
        {
            if (arg == MergeDomainsFlag)
            {
                mergeDomains = true;
            }
            else if (arg.StartsWith(MergeDomainsSetting, StringComparison.OrdinalIgnoreCase))
            {
                if (!bool.TryParse(arg.AsSpan(MergeDomainsSetting.Length), out var value))
                {
                    problem = $"'{arg}' is not true or false.";
                    return false;
                }

                mergeDomains = value;
            }
            else if (arg.StartsWith('-'))
            {
                problem = $"unknown option '{arg}'.";
                return false;
            }
            else if (directory.Length == 0)
            {
                directory = arg;
            }
            else
            {
                problem = $"one directory expected, also got '{arg}'.";
                return false;
            }
        }

        if (directory.Length == 0)
        {
            problem = "the directory is missing.";
            return false;
        }

        return true;
    }
}

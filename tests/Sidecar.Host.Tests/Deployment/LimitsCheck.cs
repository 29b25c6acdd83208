using Sidecar.Engine.Limits.Loading;

namespace Sidecar.Host.Tests.Deployment;

/// <summary>The limits a deployment gives the sidecar, loaded with the sidecar's own loader (as at start and in check-config).</summary>
internal static class LimitsCheck
{
    /// <summary>Loads <paramref name="directory"/>; returns its domains, and adds each loader error (its file and line) to <paramref name="problems"/>.</summary>
    public static IReadOnlyCollection<string> Load(string directory, bool mergeDomains, DeploymentProblems problems, Func<LimitConfigError, (string File, long Line)> locate, string file)
    {
        try
        {
            var domains = LimitConfigLoader.LoadDirectory(directory, mergeDomains).Domains.Keys.ToList();
            if (domains.Count == 0)
            {
                problems.Add(file, $"the limits ({directory}) declare no domain");
            }

            return domains;
        }
        catch (LimitConfigException ex)
        {
            foreach (var error in ex.Errors)
            {
                var (errorFile, line) = locate(error);
                problems.Add(errorFile, line, $"the sidecar's loader refuses the limits: {error.Reason}");
            }

            return [];
        }
    }
}

using Sidecar.Engine.Limits;
using Sidecar.Engine.Limits.Loading;

namespace Sidecar.Engine.Tests.Limits.Loading;

/// <summary>The configuration directories under <c>Configs/</c>, one per case, copied next to the tests.</summary>
internal static class ConfigCases
{
    /// <summary>The directory of case <paramref name="name"/>.</summary>
    public static string Directory(string name) =>
        Path.Combine(AppContext.BaseDirectory, "Limits", "Loading", "Configs", name);

    /// <summary>The path of <paramref name="file"/> in case <paramref name="name"/>, as error locations name it.</summary>
    public static string File(string name, string file) => Path.Combine(Directory(name), file);

    /// <summary>Loads case <paramref name="name"/>, which must declare exactly one domain.</summary>
    public static DomainRules LoadSingleDomain(string name) =>
        Assert.Single(LimitConfigLoader.LoadDirectory(Directory(name)).Domains.Values);

    /// <summary>Loads case <paramref name="name"/>, which must be refused; returns the problems.</summary>
    public static IReadOnlyList<LimitConfigError> LoadErrors(string name, bool mergeDomains = false) =>
        Assert.Throws<LimitConfigException>(() => LimitConfigLoader.LoadDirectory(Directory(name), mergeDomains)).Errors;

    /// <summary>A problem at <paramref name="line"/> of <paramref name="file"/> in case <paramref name="name"/>.</summary>
    public static LimitConfigError Error(string name, string file, int line, string reason) =>
        new(new ConfigLocation(File(name, file), line), reason);
}

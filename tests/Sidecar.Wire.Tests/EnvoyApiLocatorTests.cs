using Sidecar.Wire.Tests.TestSupport;

namespace Sidecar.Wire.Tests;

public sealed class EnvoyApiLocatorTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sidecar-wire-locator-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Find_VariableNamesExistingDirectory_ReturnsThatDirectory()
    {
        var extracted = _root.CreateSubdirectory("elsewhere/package").FullName;
        Directory.CreateDirectory(EnvoyApiLocator.DefaultDirectory(_root.FullName));

        var package = EnvoyApiLocator.Find(EnvironmentWith(extracted), _root.FullName, out _);

        Assert.Equal(extracted, package?.Directory);
    }

    [Fact]
    public void Find_VariableUnset_ReturnsRepositoryCache()
    {
        var cache = Directory.CreateDirectory(EnvoyApiLocator.DefaultDirectory(_root.FullName)).FullName;

        var package = EnvoyApiLocator.Find(EnvironmentWith(null), _root.FullName, out _);

        Assert.Equal(cache, package?.Directory);
    }

    [Fact]
    public void Find_VariableNamesMissingDirectory_FallsBackToRepositoryCache()
    {
        var cache = Directory.CreateDirectory(EnvoyApiLocator.DefaultDirectory(_root.FullName)).FullName;

        var package = EnvoyApiLocator.Find(EnvironmentWith(Path.Combine(_root.FullName, "nowhere")), _root.FullName, out _);

        Assert.Equal(cache, package?.Directory);
    }

    [Fact]
    public void Find_NeitherExists_ReturnsNullAndListsWhatWasTried()
    {
        var missing = Path.Combine(_root.FullName, "nowhere");

        var package = EnvoyApiLocator.Find(EnvironmentWith(missing), _root.FullName, out var searched);

        Assert.Null(package);
        Assert.Equal(2, searched.Count);
        Assert.Contains(missing, searched[0], StringComparison.Ordinal);
        Assert.Contains(EnvoyApiLocator.DefaultDirectory(_root.FullName), searched[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsCi_CiVariable_TrueOnlyForTrue(string? value, bool expected)
    {
        var isCi = EnvoyApiLocator.IsCi(name => name == "CI" ? value : null);

        Assert.Equal(expected, isCi);
    }

    [Fact]
    public void MissingMessage_PackageAbsent_SaysHowToFetchIt()
    {
        var message = EnvoyApiLocator.MissingMessage(_root.FullName, ["tried"]);

        Assert.Contains("npm pack @grpc/grpc-js-xds@1.14.1", message, StringComparison.Ordinal);
        Assert.Contains("tar -xzf grpc-grpc-js-xds-1.14.1.tgz", message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_root.FullName, ".cache", "grpc-js-xds"), message, StringComparison.Ordinal);
        Assert.Contains(EnvoyApiLocator.DirectoryVariable, message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingIncludeDirectories_EmptyPackage_ListsAllFourDepsFolders()
    {
        var package = new EnvoyApiPackage(_root.CreateSubdirectory("package").FullName);

        Assert.Equal(package.IncludeDirectories, package.MissingIncludeDirectories());
        Assert.Equal(4, package.IncludeDirectories.Count);
    }

    private static Func<string, string?> EnvironmentWith(string? directory) =>
        name => name == EnvoyApiLocator.DirectoryVariable ? directory : null;
}

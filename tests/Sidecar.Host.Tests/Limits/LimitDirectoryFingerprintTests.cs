using Sidecar.Host.Limits;

namespace Sidecar.Host.Tests.Limits;

/// <summary>The fingerprint streams each file: a change anywhere in a file larger than its read buffer changes it.</summary>
public sealed class LimitDirectoryFingerprintTests : IDisposable
{
    private const int Large = 1 << 20;

    private readonly TempLimitsDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData('x', true)]
    [InlineData('y', false)]
    public void Compute_LargeFileRewritten_SameFingerprintOnlyForTheSameContent(char last, bool same)
    {
        // Arrange
        _directory.Write("a.yaml", Content('x'));
        var before = LimitDirectoryFingerprint.Compute(_directory.Path);

        // Act: rewritten, alike or changed in its last byte only.
        _directory.Write("a.yaml", Content(last));
        var after = LimitDirectoryFingerprint.Compute(_directory.Path);

        // Assert
        Assert.Equal(same, before == after);
    }

    [Fact]
    public void Compute_ContentMovedFromOneFileToTheNext_OtherFingerprint()
    {
        // Arrange
        _directory.Write("a.yaml", "domain: a\n");
        _directory.Write("b.yaml", "domain: b\n");
        var before = LimitDirectoryFingerprint.Compute(_directory.Path);

        // Act: the same bytes in all, split differently between the files.
        _directory.Write("a.yaml", "domain: a\ndomain: b\n");
        _directory.Write("b.yaml", string.Empty);
        var after = LimitDirectoryFingerprint.Compute(_directory.Path);

        // Assert
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Compute_DanglingLink_DiffersFromAnEmptyFile()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Links to files need privileges on Windows.");

        // Arrange
        _directory.Write("a.yaml", string.Empty);
        var empty = LimitDirectoryFingerprint.Compute(_directory.Path);

        // Act
        _directory.Delete("a.yaml");
        File.CreateSymbolicLink(Path.Combine(_directory.Path, "a.yaml"), "missing.yaml");
        var dangling = LimitDirectoryFingerprint.Compute(_directory.Path);

        // Assert
        Assert.NotEqual(empty, dangling);
    }

    /// <summary>A file well past the read buffer whose last character is <paramref name="last"/>.</summary>
    private static string Content(char last) => "domain: a\n# " + new string('-', Large) + last + "\n";
}

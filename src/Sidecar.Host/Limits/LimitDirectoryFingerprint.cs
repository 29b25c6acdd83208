using System.Security.Cryptography;
using System.Text;

namespace Sidecar.Host.Limits;

/// <summary>
/// A digest of what a configuration directory holds: the names and contents of the files
/// <see cref="Engine.Limits.Loading.LimitConfigLoader.LoadDirectory"/> reads (<c>*.yaml</c> directly
/// in it, not starting with <c>.</c>), read through symbolic links (so a Kubernetes ConfigMap's <c>..data</c> swap changes it).
/// Two equal fingerprints mean the directory would load the same configuration. Files are small, so
/// hashing their contents is cheap and, unlike sizes and modification times, misses no edit.
/// </summary>
internal readonly record struct LimitDirectoryFingerprint(string Digest)
{
    private const string FileExtension = ".yaml";

    /// <summary>Computes the fingerprint of <paramref name="directory"/>; never throws for I/O errors.</summary>
    public static LimitDirectoryFingerprint Compute(string directory)
    {
        string[] files;
        try
        {
            // The loader's choice of files: a name the loader skips must not make a difference.
            files = new DirectoryInfo(directory).EnumerateFiles()
                .Select(file => file.Name)
                .Where(name => !name.StartsWith('.') && name.EndsWith(FileExtension, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Missing or unreadable: the loader will say why; what matters is that it differs from a
            // readable directory's fingerprint.
            return new LimitDirectoryFingerprint("unreadable: " + ex.GetType().Name);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[sizeof(long)];
        foreach (var name in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            byte[] content;
            try
            {
                content = File.ReadAllBytes(Path.Combine(directory, name));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Deleted since the listing, a dangling link, or no permission: the length -1 marks it.
                BitConverter.TryWriteBytes(length, -1L);
                hash.AppendData(length);
                continue;
            }

            BitConverter.TryWriteBytes(length, (long)content.Length);
            hash.AppendData(length);
            hash.AppendData(content);
        }

        return new LimitDirectoryFingerprint(Convert.ToHexString(hash.GetHashAndReset()));
    }

    /// <inheritdoc />
    public override string ToString() => Digest;
}

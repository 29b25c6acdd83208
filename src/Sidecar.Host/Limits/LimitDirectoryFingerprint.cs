using System.Security.Cryptography;
using System.Text;
using Sidecar.Engine.Limits.Loading;

namespace Sidecar.Host.Limits;

/// <summary>
/// A digest of what a configuration directory holds: the names and contents of the files
/// <see cref="LimitConfigLoader.LoadDirectory"/> reads (<see cref="LimitConfigLoader.FilesIn"/>), read
/// through symbolic links (so a Kubernetes ConfigMap's <c>..data</c> swap changes it).
/// Two equal fingerprints mean the directory would load the same configuration. Files are small, so
/// hashing their contents is cheap and, unlike sizes and modification times, misses no edit.
/// </summary>
internal readonly record struct LimitDirectoryFingerprint(string Digest)
{
    /// <summary>Computes the fingerprint of <paramref name="directory"/>; never throws for I/O errors.</summary>
    public static LimitDirectoryFingerprint Compute(string directory)
    {
        IReadOnlyList<string> files;
        try
        {
            // The loader's own choice of files: a file the loader skips makes no difference.
            files = LimitConfigLoader.FilesIn(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Missing or unreadable: the loader will say why; what matters is that it differs from a
            // readable directory's fingerprint.
            return new LimitDirectoryFingerprint("unreadable: " + ex.GetType().Name);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[sizeof(long)];
        foreach (var path in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(path));
            byte[] content;
            try
            {
                content = File.ReadAllBytes(path);
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

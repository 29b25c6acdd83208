using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Sidecar.Engine.Limits.Loading;

namespace Sidecar.Host.Limits;

/// <summary>
/// A digest of what a configuration directory holds: the names and contents of the files
/// <see cref="LimitConfigLoader.LoadDirectory"/> reads (<see cref="LimitConfigLoader.FilesIn"/>), read
/// through symbolic links (so a Kubernetes ConfigMap's <c>..data</c> swap changes it).
/// Two equal fingerprints mean the directory would load the same configuration. The contents are
/// hashed as they stream from the disk, never held whole (about 20 ms for 20 MB), and unlike sizes
/// and modification times miss no edit.
/// </summary>
internal readonly record struct LimitDirectoryFingerprint(string Digest)
{
    private const int ReadBufferBytes = 64 * 1024;

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
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
        try
        {
            foreach (var path in files)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(path));
                AppendContent(hash, path, buffer);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new LimitDirectoryFingerprint(Convert.ToHexString(hash.GetHashAndReset()));
    }

    /// <summary>
    /// Hashes the file's content as it streams through <paramref name="buffer"/> (a large file is
    /// never held whole, on every poll), then its length; -1 for a file that cannot be read.
    /// </summary>
    private static void AppendContent(IncrementalHash hash, string path, byte[] buffer)
    {
        Span<byte> length = stackalloc byte[sizeof(long)];
        long read = 0;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            for (int count; (count = stream.Read(buffer)) > 0; read += count)
            {
                hash.AppendData(buffer, 0, count);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Deleted since the listing, a dangling link, or no permission: the length -1 marks it.
            read = -1;
        }

        BitConverter.TryWriteBytes(length, read);
        hash.AppendData(length);
    }

    /// <inheritdoc />
    public override string ToString() => Digest;
}

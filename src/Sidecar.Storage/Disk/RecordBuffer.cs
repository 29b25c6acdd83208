namespace Sidecar.Storage.Disk;

/// <summary>A reusable buffer to encode one record at a time into, grown to the largest record seen.</summary>
internal sealed class RecordBuffer
{
    private byte[] _bytes = new byte[512];

    /// <summary>A span of at least <paramref name="length"/> bytes.</summary>
    public Span<byte> Get(int length)
    {
        if (_bytes.Length < length)
        {
            _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
        }

        return _bytes;
    }
}

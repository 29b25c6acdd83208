namespace Sidecar.LoadTest.Workload;

/// <summary>Serialized <c>RateLimitRequest</c>s, built before the run, so sending one costs a copy into the HTTP/2 frame and nothing else.</summary>
internal sealed class RequestPool(byte[][] requests)
{
    public int Count => requests.Length;

    public byte[] this[int index] => requests[index];

    /// <summary>Payload bytes held, for the progress line.</summary>
    public long PayloadBytes => requests.Sum(r => (long)r.Length);
}

namespace Sidecar.LoadTest.Servers;

/// <summary>A server that answered its first request: how long that took from process start, and its resident memory then (idle).</summary>
internal sealed record StartedServer(ServerProcess Process, TimeSpan TimeToFirstAnswer, long? IdleResidentBytes) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

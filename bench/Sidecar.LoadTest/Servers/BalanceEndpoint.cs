namespace Sidecar.LoadTest.Servers;

/// <summary>The sidecar's balance endpoint: a loopback port and the bearer token it was started with.</summary>
internal sealed record BalanceEndpoint(int Port, string Token);

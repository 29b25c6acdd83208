namespace Sidecar.LoadTest.Servers;

/// <summary>Where a started server answers rate-limit calls: a loopback TCP port and a Unix domain socket.</summary>
internal sealed record ServerEndpoint(int Port, string UnixSocketPath);

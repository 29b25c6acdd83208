namespace Sidecar.LoadTest.Options;

/// <summary>How the load tool reaches a server: h2c over TCP loopback or over a Unix domain socket.</summary>
internal enum Transport
{
    Tcp,
    Uds,
}

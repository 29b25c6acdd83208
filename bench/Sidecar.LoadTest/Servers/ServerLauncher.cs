using System.Globalization;
using System.Security.Cryptography;
using Sidecar.LoadTest.Options;

namespace Sidecar.LoadTest.Servers;

/// <summary>Starts a server on free ports and a fresh Unix socket, pinned per <see cref="CpuPlacement"/>, and waits until it answers.</summary>
internal sealed class ServerLauncher(ServerBinaries binaries, CpuPlacement placement)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Starts <paramref name="kind"/>; the sidecar gets <paramref name="sidecarArgs"/> after its own.</summary>
    public async Task<StartedServer> StartAsync(ServerKind kind, IReadOnlyList<string>? sidecarArgs = null)
    {
        var process = Launch(kind, sidecarArgs);
        try
        {
            var firstAnswer = await process.WaitUntilAnsweringAsync(StartTimeout);
            return new StartedServer(process, firstAnswer, process.ResidentBytes());
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <paramref name="kind"/> without waiting for it; the sidecar gets <paramref name="sidecarArgs"/> after its own.</summary>
    public ServerProcess Launch(ServerKind kind, IReadOnlyList<string>? sidecarArgs = null)
    {
        // The port in the socket's name, so that servers started side by side (a fleet) never share one.
        var port = FreePort.Next();
        var endpoint = new ServerEndpoint(port, Path.Combine(Path.GetTempPath(), $"sidecar-load-{kind.ToString().ToLowerInvariant()}-{Environment.ProcessId}-{port}.sock"));
        BalanceEndpoint? balance = null;
        List<string> args;
        if (kind == ServerKind.Sidecar)
        {
            balance = new BalanceEndpoint(FreePort.Next(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
            args =
            [
                $"--Sidecar:RateLimit:Port={endpoint.Port}",
                "--Sidecar:Http:Port=0",
                $"--Sidecar:RateLimit:UnixSocketPath={endpoint.UnixSocketPath}",
                $"--Sidecar:Balance:Port={balance.Port}",
                $"--Sidecar:Balance:Token={balance.Token}",
                // Each start begins empty, as the figures before the disk store did.
                "--Sidecar:Storage:Mode=memory",
                .. sidecarArgs ?? [],
            ];
        }
        else
        {
            args = ["--port", endpoint.Port.ToString(CultureInfo.InvariantCulture), "--uds", endpoint.UnixSocketPath];
        }

        return ServerProcess.Start(kind, placement.ServerStartInfo(binaries.PathOf(kind), args), endpoint, balance);
    }
}

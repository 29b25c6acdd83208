using Sidecar.LoadTest.Options;

namespace Sidecar.LoadTest.Servers;

/// <summary>The Release builds of the two servers, found from the repository root (the folder holding Sidecar.sln) unless given on the command line.</summary>
internal sealed record ServerBinaries(string SidecarPath, string NoopPath)
{
    public string PathOf(ServerKind kind) => kind == ServerKind.Sidecar ? SidecarPath : NoopPath;

    public static ServerBinaries Locate(LoadTestOptions options)
    {
        var root = FindRepositoryRoot();
        var binaries = new ServerBinaries(
            options.SidecarPath ?? Path.Combine(root ?? ".", "src/Sidecar.Host/bin/Release/net10.0/Sidecar.Host.dll"),
            options.NoopPath ?? Path.Combine(root ?? ".", "bench/Sidecar.NoopServer/bin/Release/net10.0/Sidecar.NoopServer.dll"));
        foreach (var kind in options.Servers)
        {
            if (!File.Exists(binaries.PathOf(kind)))
            {
                throw new FileNotFoundException($"{binaries.PathOf(kind)} not found; build first: dotnet build -c Release bench/Sidecar.LoadTest");
            }
        }

        return binaries;
    }

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sidecar.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}

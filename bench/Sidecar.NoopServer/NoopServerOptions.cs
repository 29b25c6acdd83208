using System.Globalization;

namespace Sidecar.NoopServer;

/// <summary>Where the no-op server listens: <c>--port N</c> on 127.0.0.1 and, with <c>--uds PATH</c>, a Unix domain socket as well.</summary>
internal sealed record NoopServerOptions(int Port, string? UnixSocketPath)
{
    public static NoopServerOptions Parse(string[] args)
    {
        int? port = null;
        string? unixSocketPath = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--port":
                    port = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--uds":
                    unixSocketPath = value;
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}. Usage: Sidecar.NoopServer --port N [--uds PATH]");
            }

            i++;
        }

        return new NoopServerOptions(port ?? throw new ArgumentException("--port is required."), unixSocketPath);
    }
}

using Sidecar.Engine.Limits.Loading;
using Sidecar.Host.Hosting;
using Sidecar.Host.Limits;

if (args.Length > 0 && args[0] == CheckConfigCommand.Name)
{
    return CheckConfigCommand.Run(args[1..], Console.Out, Console.Error);
}

SidecarServer server;
try
{
    server = SidecarServer.Create(args);
}
catch (LimitConfigException ex)
{
    // An expected refusal, not a crash: every problem with its file and line, no stack trace.
    Console.Error.WriteLine($"Not starting: the configured limits (Sidecar:Limits:Directory) have {ex.Errors.Count} error(s):");
    foreach (var error in ex.Errors)
    {
        Console.Error.WriteLine(error.ToString());
    }

    return 1;
}

await using (server.ConfigureAwait(false))
{
    await server.RunAsync().ConfigureAwait(false);
}

return 0;

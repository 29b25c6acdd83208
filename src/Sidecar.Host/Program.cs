using Sidecar.Engine.Limits.Loading;
using Sidecar.Host.Cli;
using Sidecar.Host.Hosting;
using Sidecar.Host.Settings;
using Sidecar.Storage;

// `sidecar COMMAND ...` (check-config, push-balance, ...) runs one command and exits; settings start the sidecar.
if (SidecarCommands.Requested(args))
{
    return await SidecarCommands.RunAsync(args, CommandConsole.Process(), CancellationToken.None).ConfigureAwait(false);
}

// Expected refusals, not crashes: one line per problem, no stack trace, exit code 1.
SidecarServer server;
try
{
    server = SidecarServer.Create(args);
}
catch (Exception ex) when (SidecarSettings.FailuresOf(ex) is { } failures)
{
    foreach (var failure in failures)
    {
        Console.Error.WriteLine($"Not starting: {failure}");
    }

    return 1;
}
catch (StorageException ex)
{
    // A held or damaged storage directory: what, where and what to do, in one line.
    Console.Error.WriteLine($"Not starting: {ex.Message}");
    return 1;
}
catch (LimitConfigException ex)
{
    // Every problem with its file and line.
    Console.Error.WriteLine($"Not starting: the configured limits (Sidecar:Limits:Directory) have {ex.Errors.Count} error(s):");
    foreach (var error in ex.Errors)
    {
        Console.Error.WriteLine(error.ToString());
    }

    return 1;
}

await using (server.ConfigureAwait(false))
{
    try
    {
        await server.StartAsync().ConfigureAwait(false);
    }
    catch (EndpointBindException ex)
    {
        // A taken port or a missing socket directory: which setting, which address, in one line.
        Console.Error.WriteLine($"Not starting: {ex.Message}");
        return 1;
    }

    await server.WaitForShutdownAsync().ConfigureAwait(false);
}

return 0;

using Sidecar.Host.Hosting;

await using var server = SidecarServer.Create(args);
await server.RunAsync().ConfigureAwait(false);

using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Sidecar.NoopServer;

// Configured as the sidecar's rate-limit endpoint (src/Sidecar.Host/Hosting/SidecarServer.cs): slim
// builder, h2c only, no Server header, IgnoreUnknownServices, no endpoint security-metadata check, a
// singleton service, no per-request DI scope and no deadline timer (grpc-timeout dropped, as the
// sidecar does by default). Only the work per call differs.
var options = NoopServerOptions.Parse(args);
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http2);
    if (options.UnixSocketPath is { Length: > 0 } path)
    {
        File.Delete(path);
        kestrel.ListenUnixSocket(path, listen => listen.Protocols = HttpProtocols.Http2);
    }
});
builder.Services.AddGrpc(grpc => grpc.IgnoreUnknownServices = true);
builder.Services.Configure<RouteOptions>(routes => routes.SuppressCheckForUnhandledSecurityMetadata = true);
builder.Services.AddSingleton<NoopRateLimitService>();

var app = builder.Build();
var root = app.Services;
app.Use((context, next) =>
{
    context.RequestServices = root;
    context.Request.Headers.Remove("grpc-timeout");
    return next(context);
});
app.MapGrpcService<NoopRateLimitService>();
await app.RunAsync().ConfigureAwait(false);

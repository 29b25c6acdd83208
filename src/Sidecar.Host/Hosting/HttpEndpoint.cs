using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sidecar.Host.Metrics;

namespace Sidecar.Host.Hosting;

/// <summary>
/// The routes of the HTTP/1.1 endpoint (<c>Sidecar:Http</c>): <c>/metrics</c>, and the health checks
/// <c>/healthcheck</c> (the reference's: 200 <c>OK</c> while serving, 500 while starting or draining,
/// or while the storage the mode needs is away and <c>Sidecar:Storage:Redis:NotServingWhileDisconnected</c>
/// asks for that), <c>/readyz</c> (the same, for Kubernetes' readiness probe) and <c>/livez</c> (200
/// while the process answers at all, for the liveness probe: draining or a lost Redis is no reason to
/// restart it).
/// </summary>
internal static class HttpEndpoint
{
    /// <summary>Maps the routes on <paramref name="app"/>.</summary>
    public static void Map(WebApplication app, MetricsExposition metrics, ServingState serving, StorageReadiness readiness)
    {
        app.MapGet("/metrics", (HttpContext context) =>
        {
            var openMetrics = MetricsExposition.WantsOpenMetrics(context.Request.Headers.Accept);
            return Results.Text(metrics.Write(openMetrics), openMetrics ? MetricsExposition.OpenMetricsContentType : MetricsExposition.TextContentType);
        });
        app.MapGet("/healthcheck", () => Readiness(serving, readiness));
        app.MapGet("/readyz", () => Readiness(serving, readiness));
        app.MapGet("/livez", () => Results.Text("OK"));
    }

    private static IResult Readiness(ServingState serving, StorageReadiness readiness)
    {
        if (!serving.IsServing)
        {
            return Results.Text(serving.Describe(), statusCode: StatusCodes.Status500InternalServerError);
        }

        var storage = readiness.Check();
        return storage.Status == HealthStatus.Healthy
            ? Results.Text("OK")
            : Results.Text(storage.Description, statusCode: StatusCodes.Status500InternalServerError);
    }
}

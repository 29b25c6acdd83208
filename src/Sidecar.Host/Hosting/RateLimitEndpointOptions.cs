namespace Sidecar.Host.Hosting;

/// <summary>The endpoint Envoy calls (<c>Sidecar:RateLimit</c>). Defaults to 127.0.0.1:8081, as envoyproxy/ratelimit.</summary>
public sealed class RateLimitEndpointOptions : EndpointOptions
{
    /// <summary>Creates the options with the default port 8081.</summary>
    public RateLimitEndpointOptions()
    {
        Port = 8081;
    }
}

namespace Sidecar.Host.Settings;

/// <summary>The endpoint Envoy calls (<c>Sidecar:RateLimit</c>). Defaults to 127.0.0.1:8081, as envoyproxy/ratelimit.</summary>
internal sealed class RateLimitEndpointOptions : EndpointOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Sidecar:RateLimit";

    /// <summary>Creates the options with the default port 8081.</summary>
    public RateLimitEndpointOptions()
    {
        Port = 8081;
    }

    /// <summary>
    /// Whether a call's <c>grpc-timeout</c> header starts a server-side deadline. Off by default:
    /// a decision takes microseconds and never waits, so a deadline could only cancel an answer
    /// already computed, while tracking one costs a timer per call (Envoy sends 20 ms on every
    /// call). Envoy enforces its own timeout either way.
    /// </summary>
    public bool HonorClientDeadlines { get; set; }

    /// <summary>
    /// Whether Kestrel runs calls on the socket's I/O thread instead of queuing them to the thread
    /// pool (<c>SocketTransportOptions.UnsafePreferInlineScheduling</c>). Safe here because the
    /// handler never blocks. Off by default; see bench/RESULTS.md for its effect.
    /// </summary>
    public bool InlineScheduling { get; set; }

    /// <summary>
    /// Global shadow mode (the reference's <c>SHADOW_MODE</c>): every answer's overall code is OK, while
    /// descriptors keep their statuses and counts and metrics run as if enforced. A refusal answered so
    /// carries no error body, no 402 metadata and no <c>Retry-After</c>, so that the request passes as
    /// it would without the sidecar. Off by default.
    /// </summary>
    public bool ShadowMode { get; set; }
}

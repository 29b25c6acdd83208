namespace Sidecar.Host.Settings;

/// <summary>
/// <c>Sidecar:Http</c>: the HTTP/1.1 endpoint of metrics and health (<c>/metrics</c>,
/// <c>/healthcheck</c>, <c>/livez</c>, <c>/readyz</c>), on <c>127.0.0.1:8080</c> as the reference's
/// (whose <c>HOST</c> and <c>PORT</c> set it too).
/// </summary>
internal sealed class HttpEndpointOptions : EndpointOptions
{
    /// <summary>The section's name.</summary>
    public const string SectionName = "Sidecar:Http";

    /// <summary>Creates the defaults.</summary>
    public HttpEndpointOptions()
    {
        Port = 8080;
    }

    /// <summary>Whether the endpoint listens at all; on by default.</summary>
    public bool Enabled { get; set; } = true;
}

using Grpc.Core;
using Grpc.Net.Client;
using Sidecar.Diagnostics.V1;

namespace Sidecar.LoadTest.Diagnostics;

/// <summary>
/// Reads the sidecar's cumulative processing-time histogram
/// (<c>sidecar.diagnostics.v1.DiagnosticsService/GetProcessingTime</c>) on the rate-limit endpoint.
/// A server without it (UNIMPLEMENTED) yields null, as does a reader with no channel.
/// </summary>
internal sealed class ProcessingTimeReader(GrpcChannel? channel)
{
    private readonly DiagnosticsService.DiagnosticsServiceClient? _client = channel is null ? null : new(channel);

    public async Task<ProcessingTimeHistogram?> ReadAsync()
    {
        if (_client is null)
        {
            return null;
        }

        try
        {
            return await _client.GetProcessingTimeAsync(new GetProcessingTimeRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            return null;
        }
    }
}

using Grpc.Core;
using Sidecar.Diagnostics.V1;
using ProcessingTimeMessage = Sidecar.Diagnostics.V1.ProcessingTimeHistogram;

namespace Sidecar.Host.Diagnostics;

/// <summary>
/// <c>sidecar.diagnostics.v1.DiagnosticsService</c>: read-only figures about the sidecar itself,
/// served on the rate-limit endpoint so that a load tool can read them over its own connection.
/// </summary>
internal sealed class DiagnosticsGrpcService(Sidecar.Engine.Diagnostics.ProcessingTimeHistogram processingTime) : DiagnosticsService.DiagnosticsServiceBase
{
    /// <inheritdoc />
    public override Task<ProcessingTimeMessage> GetProcessingTime(GetProcessingTimeRequest request, ServerCallContext context)
    {
        var snapshot = processingTime.Snapshot();
        var response = new ProcessingTimeMessage
        {
            Count = (ulong)snapshot.Count,
            SumNanos = (ulong)snapshot.SumNanoseconds,
        };
        foreach (var (upperBound, count) in snapshot.Buckets)
        {
            response.Buckets.Add(new ProcessingTimeBucket { UpperBoundNanos = upperBound, Count = (ulong)count });
        }

        return Task.FromResult(response);
    }
}

using Grpc.Core;
using Grpc.Net.Client;

namespace Sidecar.LoadTest.Grpc;

/// <summary>Sends pre-serialized <c>ShouldRateLimit</c> calls over one channel.</summary>
internal sealed class RateLimitCaller
{
    private readonly CallInvoker _invoker;
    private readonly TimeSpan _deadline;

    public RateLimitCaller(GrpcChannel channel, TimeSpan deadline)
    {
        _invoker = channel.CreateCallInvoker();
        _deadline = deadline;
    }

    public async Task<CallOutcome> CallAsync(byte[] request)
    {
        var options = _deadline > TimeSpan.Zero ? new CallOptions(deadline: DateTime.UtcNow + _deadline) : default;
        using var call = _invoker.AsyncUnaryCall(RateLimitMethod.ShouldRateLimit, null, options, request);
        try
        {
            return CallOutcome.Answered((await call.ResponseAsync.ConfigureAwait(false)).Value);
        }
        catch (RpcException ex)
        {
            return CallOutcome.Failed(ex.StatusCode);
        }
    }
}

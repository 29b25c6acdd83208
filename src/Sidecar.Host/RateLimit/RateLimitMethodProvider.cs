using Envoy.Service.Ratelimit.V3;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.Host.Metrics;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// Binds <c>/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit</c> to
/// <see cref="RateLimitGrpcService"/> with <see cref="RateLimitCallMarshaller"/>, in place of the
/// generated binding: requests are read into reused <see cref="RateLimitCall"/> objects rather than
/// generated messages and strings, and answers are encoded without building a message.
/// </summary>
/// <param name="errors">Counts the calls whose request is refused as invalid.</param>
internal sealed class RateLimitMethodProvider(RateLimitCallCounts errors) : IServiceMethodProvider<RateLimitGrpcService>
{
    /// <summary>The method as Envoy calls it; only its server half (read requests, write responses) is implemented.</summary>
    public Method<RateLimitCall, RateLimitCall> ShouldRateLimitMethod { get; } = new(
        MethodType.Unary,
        RateLimitService.Descriptor.FullName,
        RateLimitService.Descriptor.Methods[0].Name,
        new Marshaller<RateLimitCall>(static (_, _) => throw ClientSideOnly(), context => RateLimitCallMarshaller.Read(context, errors)),
        new Marshaller<RateLimitCall>(RateLimitCallMarshaller.Write, static _ => throw ClientSideOnly()));

    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<RateLimitGrpcService> context)
    {
        context.AddUnaryMethod(
            ShouldRateLimitMethod,
            [],
            static (service, call, _) => service.ShouldRateLimit(call));
    }

    private static NotSupportedException ClientSideOnly()
        => new("The sidecar serves ShouldRateLimit; it never sends requests or reads responses of it.");
}

using Envoy.Service.Ratelimit.V3;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// Binds <c>/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit</c> to
/// <see cref="RateLimitGrpcService"/> with <see cref="RateLimitRequestMarshaller"/>, in place of the
/// generated binding, so that requests are checked on the wire before they are parsed.
/// </summary>
internal sealed class RateLimitMethodProvider : IServiceMethodProvider<RateLimitGrpcService>
{
    internal static readonly Method<RateLimitRequest, RateLimitResponse> ShouldRateLimitMethod = new(
        MethodType.Unary,
        RateLimitService.Descriptor.FullName,
        RateLimitService.Descriptor.Methods[0].Name,
        RateLimitRequestMarshaller.Request,
        RateLimitRequestMarshaller.Response);

    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<RateLimitGrpcService> context)
    {
        context.AddUnaryMethod(
            ShouldRateLimitMethod,
            [],
            static (service, request, callContext) => service.ShouldRateLimit(request, callContext));
    }
}

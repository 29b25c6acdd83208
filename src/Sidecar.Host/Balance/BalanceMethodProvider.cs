using System.Buffers;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.Balance.V1;

namespace Sidecar.Host.Balance;

/// <summary>
/// Binds <c>sidecar.balance.v1.BalanceService</c> to <see cref="BalanceGrpcService"/> by hand, in place
/// of the generated binding, so that an update that does not parse is read as an
/// <see cref="IncomingUpdate"/> carrying the problem, answered REJECTED, and the stream goes on; the
/// generated marshaller would end the whole stream with an error instead.
/// </summary>
internal sealed class BalanceMethodProvider : IServiceMethodProvider<BalanceGrpcService>
{
    private static readonly Method<IncomingUpdate, BalanceAck> s_streamBalances = new(
        MethodType.DuplexStreaming, BalanceService.Descriptor.FullName, nameof(BalanceService.BalanceServiceBase.StreamBalances),
        ServerReads(IncomingUpdate.Read), ServerWrites<BalanceAck>());

    private static readonly Method<IncomingBatch, BalanceAckBatch> s_streamBalanceBatches = new(
        MethodType.DuplexStreaming, BalanceService.Descriptor.FullName, nameof(BalanceService.BalanceServiceBase.StreamBalanceBatches),
        ServerReads(static bytes => new IncomingBatch(IncomingUpdate.ReadBatch(bytes))), ServerWrites<BalanceAckBatch>());

    private static readonly Method<GetAccountRequest, AccountState> s_getAccount = new(
        MethodType.Unary, BalanceService.Descriptor.FullName, nameof(BalanceService.BalanceServiceBase.GetAccount),
        ServerReads(static bytes => GetAccountRequest.Parser.ParseFrom(bytes)), ServerWrites<AccountState>());

    private static readonly Method<ResetAccountVersionRequest, AccountState> s_resetAccountVersion = new(
        MethodType.Unary, BalanceService.Descriptor.FullName, ResetAccountVersionMethod,
        ServerReads(static bytes => ResetAccountVersionRequest.Parser.ParseFrom(bytes)), ServerWrites<AccountState>());

    /// <summary>The operator's method, whose calls need the operator token (<see cref="BalanceAuthenticationMiddleware"/>).</summary>
    public const string ResetAccountVersionMethod = nameof(BalanceService.BalanceServiceBase.ResetAccountVersion);

    /// <summary>The request path of <see cref="ResetAccountVersionMethod"/>.</summary>
    public static readonly string ResetAccountVersionPath = $"/{BalanceService.Descriptor.FullName}/{ResetAccountVersionMethod}";

    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<BalanceGrpcService> context)
    {
        context.AddDuplexStreamingMethod(s_streamBalances, [], static (service, requests, responses, call) => service.StreamBalances(requests, responses, call));
        context.AddDuplexStreamingMethod(s_streamBalanceBatches, [], static (service, requests, responses, call) => service.StreamBalanceBatches(requests, responses, call));
        context.AddUnaryMethod(s_getAccount, [], static (service, request, call) => service.GetAccount(request, call));
        context.AddUnaryMethod(s_resetAccountVersion, [], static (service, request, call) => service.ResetAccountVersion(request, call));
    }

    /// <summary>
    /// A marshaller that reads requests from their bytes with <paramref name="read"/> (a message that does
    /// not parse is INVALID_ARGUMENT with the parser's word, never an error with a stack trace); the
    /// server never writes them.
    /// </summary>
    private static Marshaller<T> ServerReads<T>(ReadSpan<T> read)
        where T : class
        => new(static (_, _) => throw ClientSideOnly(), context =>
        {
            var payload = context.PayloadAsReadOnlySequence();
            try
            {
                return payload.IsSingleSegment ? read(payload.FirstSpan) : read(payload.ToArray());
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"malformed message: {ex.Message}"));
            }
        });

    /// <summary>A marshaller that writes a generated message straight into the transport's buffer; the server never reads them.</summary>
    private static Marshaller<T> ServerWrites<T>()
        where T : class, IMessage<T>
        => new(static (message, context) =>
        {
            context.SetPayloadLength(message.CalculateSize());
            message.WriteTo(context.GetBufferWriter());
            context.Complete();
        }, static _ => throw ClientSideOnly());

    private static NotSupportedException ClientSideOnly() => new("The sidecar serves the balance protocol; it is never its client.");

    /// <summary>Reads a value from a request's bytes.</summary>
    private delegate T ReadSpan<out T>(ReadOnlySpan<byte> bytes);
}

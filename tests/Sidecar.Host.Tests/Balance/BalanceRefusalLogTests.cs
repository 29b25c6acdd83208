using Google.Protobuf;
using Grpc.Core;
using Sidecar.Balance.V1;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Balance;

/// <summary>What a flood of refused balance calls leaves in the sidecar's own log.</summary>
public sealed class BalanceRefusalLogTests
{
    [Fact]
    public async Task GetAccount_TwentyWrongTokens_TwoLogLinesAndNoStackTrace()
    {
        // Arrange
        await using var sidecar = await RunningSidecar.StartAsync(["--Sidecar:Storage:Mode=memory"]);
        var client = sidecar.BalanceClient();

        // Act
        for (var i = 0; i < 20; i++)
        {
            await Assert.ThrowsAsync<RpcException>(async () =>
                await client.GetAccountAsync(new GetAccountRequest { AccountId = "a" }, new Metadata { { "authorization", "Bearer wrong" } }));
        }

        await sidecar.WaitForOutputAsync("refused outright");

        // Assert: the first refusal and the throttling, one line each; nothing from the calls after.
        var lines = sidecar.Output.Split('\n');
        Assert.Single(lines, line => line.Contains("Balance call refused", StringComparison.Ordinal));
        Assert.Single(lines, line => line.Contains("refused outright", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAccount_MalformedMessageWithTheToken_InvalidArgumentAndNoStackTrace()
    {
        // Arrange: raw bytes that are no GetAccountRequest (a truncated field).
        await using var sidecar = await RunningSidecar.StartAsync(["--Sidecar:Storage:Mode=memory"]);
        var raw = new Method<byte[], AccountState>(MethodType.Unary, "sidecar.balance.v1.BalanceService", "GetAccount",
            Marshallers.Create(static (byte[] bytes) => bytes, static bytes => bytes), Marshallers.Create(static (AccountState state) => state.ToByteArray(), AccountState.Parser.ParseFrom));
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(sidecar.BalanceAddress);

        // Act
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await channel.CreateCallInvoker().AsyncUnaryCall(raw, null, new CallOptions(new Metadata { { "authorization", "Bearer " + RunningSidecar.Token } }), [0x0A, 0x64, 0x61]));
        var after = await sidecar.BalanceClient().GetAccountAsync(new GetAccountRequest { AccountId = "a" }, new Metadata { { "authorization", "Bearer " + RunningSidecar.Token } });

        // Assert
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.DoesNotContain(sidecar.Output.Split('\n'), line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.Equal("a", after.AccountId);
    }
}

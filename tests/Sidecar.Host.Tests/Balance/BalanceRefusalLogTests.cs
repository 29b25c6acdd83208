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
}

using Envoy.Service.Ratelimit.V3;
using Sidecar.Balance.V1;
using Sidecar.Host.Tests.TestSupport;
using static Envoy.Service.Ratelimit.V3.RateLimitResponse.Types;

namespace Sidecar.Host.Tests.RateLimit;

/// <summary>Calls in flight at once each get the answer to their own request, though the sidecar reuses its call objects.</summary>
public sealed class ConcurrentCallsTests(SidecarFixture sidecar) : IClassFixture<SidecarFixture>
{
    [Fact]
    public async Task ShouldRateLimit_ManyCallsInFlight_EachAnsweredForItsOwnRequest()
    {
        // Arrange: 16 callers over 4 connections, each with its own account, alternating free and
        // paid models and one to three descriptors, so that any answer given to the wrong call shows.
        var clients = Enumerable.Range(0, 4).Select(_ => sidecar.RateLimitClient()).ToArray();
        for (var caller = 0; caller < 16; caller++)
        {
            await sidecar.PushAsync(new BalanceUpdate { Sequence = (ulong)caller, AccountId = $"caller-{caller}", BalanceMicros = 1000_000_000, Version = 1 });
        }

        // Act
        var callers = Enumerable.Range(0, 16).Select(caller => Task.Run(async () =>
        {
            var client = clients[caller % clients.Length];
            for (var i = 0; i < 60; i++)
            {
                var free = i % 2 == 0;
                var descriptors = 1 + (i % 3);
                var request = new RateLimitRequest { Domain = "openrouter" };
                for (var d = 0; d < descriptors; d++)
                {
                    request.Descriptors.Add(Requests.Descriptor($"caller-{caller}", free ? "m:free" : "paid"));
                }

                var response = await client.ShouldRateLimitAsync(request);

                // Assert
                Assert.Equal(descriptors, response.Statuses.Count);
                foreach (var status in response.Statuses)
                {
                    Assert.Equal(free ? "free-models-per-min" : "paid-models-per-second", status.CurrentLimit.Name);
                }

                if (free && i == 0)
                {
                    Assert.Equal(Code.Ok, response.OverallCode);
                    Assert.Equal("19", Requests.Header(response, "X-RateLimit-Remaining"));
                }
            }
        })).ToArray();
        await Task.WhenAll(callers);
    }
}

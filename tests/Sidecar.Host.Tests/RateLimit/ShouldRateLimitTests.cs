using System.Text.Json;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using Sidecar.Balance.V1;
using Sidecar.Host.Tests.TestSupport;
using static Envoy.Service.Ratelimit.V3.RateLimitResponse.Types;

namespace Sidecar.Host.Tests.RateLimit;

/// <summary>ShouldRateLimit over a real loopback connection, as Envoy calls it.</summary>
public sealed class ShouldRateLimitTests(SidecarFixture sidecar) : IClassFixture<SidecarFixture>
{
    private readonly RateLimitService.RateLimitServiceClient _client = sidecar.RateLimitClient();

    [Fact]
    public async Task ShouldRateLimit_FreeModel_OkWithBindingLimitAndHeaders()
    {
        // Act
        var response = await _client.ShouldRateLimitAsync(Requests.OpenRouter("free-ok", "meta/llama:free"));

        // Assert
        Assert.Equal(Code.Ok, response.OverallCode);
        var status = Assert.Single(response.Statuses);
        Assert.Equal(Code.Ok, status.Code);
        Assert.Equal("free-models-per-min", status.CurrentLimit.Name);
        Assert.Equal(20u, status.CurrentLimit.RequestsPerUnit);
        Assert.Equal(RateLimitResponse.Types.RateLimit.Types.Unit.Minute, status.CurrentLimit.Unit);
        Assert.Equal(19u, status.LimitRemaining);
        Assert.Equal(TimeSpan.FromSeconds(30), status.DurationUntilReset.ToTimeSpan());
        Assert.Equal("20", Requests.Header(response, "X-RateLimit-Limit"));
        Assert.Equal("19", Requests.Header(response, "X-RateLimit-Remaining"));
        var nextMinute = new DateTimeOffset(2026, 11, 22, 10, 1, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal(nextMinute.ToString(System.Globalization.CultureInfo.InvariantCulture), Requests.Header(response, "X-RateLimit-Reset"));
        Assert.True(response.RawBody.IsEmpty);
    }

    [Fact]
    public async Task ShouldRateLimit_WithEnvoysDeadline_Answered()
    {
        // Act: Envoy sends grpc-timeout (20 ms by default) on every call; the sidecar drops it.
        var response = await _client.ShouldRateLimitAsync(Requests.OpenRouter("deadline", "m:free"), deadline: DateTime.UtcNow.AddSeconds(20));

        // Assert
        Assert.Equal(Code.Ok, response.OverallCode);
        Assert.Equal("19", Requests.Header(response, "X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task ShouldRateLimit_TwentyFirstFreeRequestInMinute_429WithOpenRouterBody()
    {
        // Arrange
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(Code.Ok, (await _client.ShouldRateLimitAsync(Requests.OpenRouter("free-429", "a:free"))).OverallCode);
        }

        // Act
        var response = await _client.ShouldRateLimitAsync(Requests.OpenRouter("free-429", "b:free", key: "k2"));

        // Assert
        Assert.Equal(Code.OverLimit, response.OverallCode);
        var status = Assert.Single(response.Statuses);
        Assert.Equal(Code.OverLimit, status.Code);
        Assert.Equal("free-models-per-min", status.CurrentLimit.Name);
        Assert.Equal(0u, status.LimitRemaining);
        Assert.Equal("0", Requests.Header(response, "X-RateLimit-Remaining"));
        Assert.Equal("30", Requests.Header(response, "Retry-After"));
        Assert.Equal("application/json", Requests.Header(response, "content-type"));
        using var body = JsonDocument.Parse(response.RawBody.Memory);
        var error = body.RootElement.GetProperty("error");
        Assert.Equal(429, error.GetProperty("code").GetInt32());
        Assert.Contains("free-models-per-min", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("openrouter_rate_limit", response.DynamicMetadata.Fields["limit_source"].StringValue);
        Assert.Equal(429, response.DynamicMetadata.Fields["error_code"].NumberValue);
    }

    [Fact]
    public async Task ShouldRateLimit_NegativeBalanceOnFreeModel_402()
    {
        // Arrange
        await sidecar.PushAsync(new BalanceUpdate { AccountId = "in-debt", BalanceMicros = -1, Version = 1 });

        // Act
        var response = await _client.ShouldRateLimitAsync(Requests.OpenRouter("in-debt", "x:free"));

        // Assert
        Assert.Equal(Code.OverLimit, response.OverallCode);
        Assert.Equal("insufficient-credits", response.Statuses[0].CurrentLimit.Name);
        using var body = JsonDocument.Parse(response.RawBody.Memory);
        Assert.Equal(402, body.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("the account's balance", response.RawBody.ToStringUtf8(), StringComparison.Ordinal);
        Assert.Equal("openrouter_credits", response.DynamicMetadata.Fields["limit_source"].StringValue);
        Assert.Equal(402, response.DynamicMetadata.Fields["error_code"].NumberValue);
        Assert.False(Requests.HasHeader(response, "Retry-After"));
        Assert.False(Requests.HasHeader(response, "X-RateLimit-Reset"));
    }

    [Fact]
    public async Task ShouldRateLimit_UnknownAccountPaidModel_402()
    {
        // Act
        var response = await _client.ShouldRateLimitAsync(Requests.OpenRouter("never-seen", "openai/gpt-5"));

        // Assert
        Assert.Equal(Code.OverLimit, response.OverallCode);
        Assert.Equal("openrouter_credits", response.DynamicMetadata.Fields["limit_source"].StringValue);
    }

    [Fact]
    public async Task ShouldRateLimit_PaidModelBalanceThreeDollars_ThreePerSecondThenBalanceRaiseTakesEffect()
    {
        // Arrange
        await sidecar.PushAsync(new BalanceUpdate { AccountId = "paid-3", BalanceMicros = 3_500_000, Version = 1 });

        // Act
        var codes = new List<Code>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add((await _client.ShouldRateLimitAsync(Requests.OpenRouter("paid-3", "openai/gpt-5"))).OverallCode);
        }

        await sidecar.PushAsync(new BalanceUpdate { AccountId = "paid-3", BalanceMicros = 10_000_000, Version = 2 });
        var afterRaise = await _client.ShouldRateLimitAsync(Requests.OpenRouter("paid-3", "openai/gpt-5"));

        // Assert
        Assert.Equal([Code.Ok, Code.Ok, Code.Ok, Code.OverLimit], codes);
        Assert.Equal(Code.Ok, afterRaise.OverallCode);
        Assert.Equal(10u, afterRaise.Statuses[0].CurrentLimit.RequestsPerUnit);
        Assert.Equal(RateLimitResponse.Types.RateLimit.Types.Unit.Second, afterRaise.Statuses[0].CurrentLimit.Unit);
        Assert.Equal("paid-models-per-second", afterRaise.Statuses[0].CurrentLimit.Name);
    }

    [Fact]
    public async Task ShouldRateLimit_HitsAddend_CountsAsThatManyRequests()
    {
        // Act
        var first = await _client.ShouldRateLimitAsync(Requests.OpenRouter("hits", "m:free", hits: 15));
        var second = await _client.ShouldRateLimitAsync(Requests.OpenRouter("hits", "m:free", hits: 6));
        var third = await _client.ShouldRateLimitAsync(Requests.OpenRouter("hits", "m:free", hits: 5));
        var huge = await _client.ShouldRateLimitAsync(Requests.OpenRouter("hits", "m:free", hits: uint.MaxValue));

        // Assert
        Assert.Equal(5u, first.Statuses[0].LimitRemaining);
        Assert.Equal(Code.OverLimit, second.OverallCode);
        Assert.Equal(Code.Ok, third.OverallCode);
        Assert.Equal(0u, third.Statuses[0].LimitRemaining);
        Assert.Equal(Code.OverLimit, huge.OverallCode);
    }

    [Fact]
    public async Task ShouldRateLimit_DescriptorsOwnHitsAddend_ReplacesTheRequestsAndZeroChecksWithoutCounting()
    {
        // Arrange: the request says 1; the descriptor says 18, then 0 (a check), then 3 (more than the 2 left).
        var counted = Requests.OpenRouter("own-hits", "m:free", hits: 1);
        counted.Descriptors[0].HitsAddend = 18;
        var check = counted.Clone();
        check.Descriptors[0].HitsAddend = 0;
        var over = counted.Clone();
        over.Descriptors[0].HitsAddend = 3;

        // Act
        var first = await _client.ShouldRateLimitAsync(counted);
        var checks = new[] { await _client.ShouldRateLimitAsync(check), await _client.ShouldRateLimitAsync(check) };
        var refused = await _client.ShouldRateLimitAsync(over);

        // Assert
        Assert.Equal(2u, first.Statuses[0].LimitRemaining);
        Assert.All(checks, response => Assert.Equal((Code.Ok, 2u), (response.OverallCode, response.Statuses[0].LimitRemaining)));
        Assert.Equal(Code.OverLimit, refused.OverallCode);
        Assert.DoesNotContain("can never pass", refused.RawBody.ToStringUtf8(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldRateLimit_DescriptorsOwnHitsAboveItsLimit_RefusedSayingItCanNeverPass()
    {
        // Arrange: 21 of the descriptor's own, more than the 20 a minute; the request's 1 would fit.
        var request = Requests.OpenRouter("own-hits-huge", "m:free", hits: 1);
        request.Descriptors[0].HitsAddend = 21;

        // Act
        var response = await _client.ShouldRateLimitAsync(request);

        // Assert
        Assert.Equal(Code.OverLimit, response.OverallCode);
        Assert.Contains("can never pass", response.RawBody.ToStringUtf8(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldRateLimit_PaidHitsAboveTheBucket_RefusedSayingSoWithARetryAfterOfOneSecond()
    {
        // Arrange: $5, so 5 requests a second; 4,294,967,295 hits can never fit (they used to be told to wait 45 years).
        await sidecar.PushAsync(new BalanceUpdate { AccountId = "paid-huge", BalanceMicros = 5_000_000, Version = 1 });

        // Act
        var response = await _client.ShouldRateLimitAsync(Requests.OpenRouter("paid-huge", "openai/gpt-5", hits: uint.MaxValue));
        var fits = await _client.ShouldRateLimitAsync(Requests.OpenRouter("paid-huge", "openai/gpt-5", hits: 5));

        // Assert
        Assert.Equal(Code.OverLimit, response.OverallCode);
        Assert.Equal("1", Requests.Header(response, "Retry-After"));
        Assert.Contains("can never pass", response.RawBody.ToStringUtf8(), StringComparison.Ordinal);
        Assert.Equal(Code.Ok, fits.OverallCode);
    }

    [Fact]
    public async Task ShouldRateLimit_UnknownDomain_OkWithoutLimit()
    {
        // Arrange
        var request = new RateLimitRequest { Domain = "somebody-else" };
        request.Descriptors.Add(Requests.Descriptor("a", "m:free"));

        // Act
        var response = await _client.ShouldRateLimitAsync(request);

        // Assert
        Assert.Equal(Code.Ok, response.OverallCode);
        var status = Assert.Single(response.Statuses);
        Assert.Equal(Code.Ok, status.Code);
        Assert.Null(status.CurrentLimit);
        Assert.Empty(response.ResponseHeadersToAdd);
    }

    [Fact]
    public async Task ShouldRateLimit_MixedDescriptors_OneStatusEachInOrder()
    {
        // Arrange
        var request = new RateLimitRequest { Domain = "openrouter" };
        request.Descriptors.Add(Requests.Generic(("remote_address", "10.0.0.1")));
        request.Descriptors.Add(Requests.Descriptor("mixed", "m:free"));
        request.Descriptors.Add(Requests.Generic());

        // Act
        var response = await _client.ShouldRateLimitAsync(request);

        // Assert
        Assert.Equal(Code.Ok, response.OverallCode);
        Assert.Equal(3, response.Statuses.Count);
        Assert.Null(response.Statuses[0].CurrentLimit);
        Assert.Equal("free-models-per-min", response.Statuses[1].CurrentLimit.Name);
        Assert.Null(response.Statuses[2].CurrentLimit);
        Assert.Equal("19", Requests.Header(response, "X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task ShouldRateLimit_SecondDescriptorRefused_FirstIsNotCounted()
    {
        // Arrange: "rollback-b" is in debt, so any request naming it is refused.
        await sidecar.PushAsync(new BalanceUpdate { AccountId = "rollback-b", BalanceMicros = -5, Version = 1 });
        var request = new RateLimitRequest { Domain = "openrouter" };
        request.Descriptors.Add(Requests.Descriptor("rollback-a", "m:free"));
        request.Descriptors.Add(Requests.Descriptor("rollback-b", "m:free"));

        // Act
        var refused = await _client.ShouldRateLimitAsync(request);
        var alone = await _client.ShouldRateLimitAsync(Requests.OpenRouter("rollback-a", "m:free"));

        // Assert
        Assert.Equal(Code.OverLimit, refused.OverallCode);
        Assert.Equal(Code.Ok, refused.Statuses[0].Code);
        Assert.Equal(Code.OverLimit, refused.Statuses[1].Code);
        Assert.Equal(19u, alone.Statuses[0].LimitRemaining);
    }

    [Theory]
    [InlineData("", "domain must not be empty")]
    [InlineData("openrouter", "descriptors must not be empty")]
    public async Task ShouldRateLimit_EmptyDomainOrNoDescriptors_InvalidArgument(string domain, string message)
    {
        // Arrange
        var request = new RateLimitRequest { Domain = domain };
        if (domain.Length == 0)
        {
            request.Descriptors.Add(Requests.Descriptor("a", "b"));
        }

        // Act
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _client.ShouldRateLimitAsync(request));

        // Assert
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldRateLimit_OverUnixSocket_SameAnswers()
    {
        // Arrange
        var client = new RateLimitService.RateLimitServiceClient(sidecar.UnixSocketChannel());

        // Act
        var response = await client.ShouldRateLimitAsync(Requests.OpenRouter("uds", "m:free"));

        // Assert
        Assert.Equal(Code.Ok, response.OverallCode);
        Assert.Equal(19u, response.Statuses[0].LimitRemaining);
    }
}

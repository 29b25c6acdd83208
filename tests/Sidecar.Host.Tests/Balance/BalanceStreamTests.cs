using Google.Protobuf;
using Grpc.Core;
using Sidecar.Balance.V1;
using Sidecar.Host.Tests.TestSupport;
using static Sidecar.Balance.V1.BalanceAck.Types;

namespace Sidecar.Host.Tests.Balance;

/// <summary>The balance stream and account state call, on their own authenticated endpoint.</summary>
public sealed class BalanceStreamTests(SidecarFixture sidecar) : IClassFixture<SidecarFixture>
{
    [Fact]
    public async Task StreamBalances_NoToken_Unauthenticated()
    {
        // Arrange
        using var call = sidecar.BalanceClient().StreamBalances();

        // Act
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new BalanceUpdate { AccountId = "a", Version = 1 });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });

        // Assert
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task StreamBalances_WrongToken_UnauthenticatedAndNothingApplied()
    {
        // Arrange
        using var call = sidecar.BalanceClient().StreamBalances(SidecarFixture.Authorized("wrong-token"));

        // Act
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new BalanceUpdate { AccountId = "wrong-token-account", BalanceMicros = 5, Version = 1 });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });
        var state = await sidecar.BalanceClient().GetAccountAsync(new GetAccountRequest { AccountId = "wrong-token-account" }, SidecarFixture.Authorized());

        // Assert
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.False(state.Known);
    }

    [Fact]
    public async Task GetAccount_WrongToken_Unauthenticated()
    {
        // Act
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await sidecar.BalanceClient().GetAccountAsync(new GetAccountRequest { AccountId = "a" }, SidecarFixture.Authorized("nope")));

        // Assert
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task StreamBalances_StaleDuplicateAndBadUpdates_AckedInOrderWithoutClosingStream()
    {
        // Arrange
        using var call = sidecar.BalanceClient().StreamBalances(SidecarFixture.Authorized());
        BalanceUpdate[] updates =
        [
            new() { Sequence = 1, AccountId = "stream", BalanceMicros = 5_000_000, PurchasedMicros = 10_000_000, Version = 5 },
            new() { Sequence = 2, AccountId = "stream", BalanceMicros = 1, Version = 4 },
            new() { Sequence = 3, AccountId = "stream", BalanceMicros = 5_000_000, PurchasedMicros = 10_000_000, Version = 5 },
            new() { Sequence = 4, AccountId = "stream", BalanceMicros = 1, PurchasedMicros = -1, Version = 6 },
            new() { Sequence = 5, AccountId = string.Empty, Version = 1 },
            new() { Sequence = 6, AccountId = "stream", BalanceMicros = 1, Version = 6, MaxRequestsPerSecond = 0 },
            new() { Sequence = 7, AccountId = "stream", BalanceMicros = 7_000_000, PurchasedMicros = 10_000_000, Version = 7, MaxRequestsPerSecond = 900 },
        ];

        // Act
        var acks = await ExchangeAsync(call, updates);
        var state = await sidecar.BalanceClient().GetAccountAsync(new GetAccountRequest { AccountId = "stream" }, SidecarFixture.Authorized());

        // Assert
        Assert.Equal([1ul, 2, 3, 4, 5, 6, 7], acks.Select(a => a.Sequence));
        Assert.Equal(
            [Outcome.Applied, Outcome.Stale, Outcome.Duplicate, Outcome.Rejected, Outcome.Rejected, Outcome.Rejected, Outcome.Applied],
            acks.Select(a => a.Outcome));
        Assert.Equal([5ul, 5, 5, 5, 0, 5, 7], acks.Select(a => a.VersionInForce));
        Assert.Equal("purchased_micros", acks[3].Error.Field);
        Assert.Equal("account_id", acks[4].Error.Field);
        Assert.Equal("max_requests_per_second", acks[5].Error.Field);
        Assert.True(state.Known);
        Assert.Equal(7_000_000, state.BalanceMicros);
        Assert.Equal(7ul, state.Version);
        Assert.Equal(900u, state.MaxRequestsPerSecond);
    }

    [Fact]
    public async Task GetAccount_AfterRequests_ReportsTierLimitsAndCounts()
    {
        // Arrange
        await sidecar.PushAsync(new BalanceUpdate { AccountId = "report", BalanceMicros = 12_340_000, PurchasedMicros = 10_000_000, Version = 1 });
        var rls = sidecar.RateLimitClient();
        for (var i = 0; i < 3; i++)
        {
            await rls.ShouldRateLimitAsync(Requests.OpenRouter("report", "m:free"));
        }

        await rls.ShouldRateLimitAsync(Requests.OpenRouter("report", "paid/model"));

        // Act
        var state = await sidecar.BalanceClient().GetAccountAsync(new GetAccountRequest { AccountId = "report" }, SidecarFixture.Authorized());

        // Assert
        Assert.True(state.Known);
        Assert.Equal(12_340_000, state.BalanceMicros);
        Assert.Equal(10_000_000, state.PurchasedMicros);
        Assert.Equal("free-models-credited", state.Tier);
        Assert.Equal(500u, state.MaxRequestsPerSecond);
        Assert.False(state.InsufficientCredits);
        var minute = state.Limits.Single(l => l.Name == "free-models-per-min");
        Assert.Equal((20u, 3ul, 17ul, "minute"), (minute.RequestsPerUnit, minute.Used, minute.Remaining, minute.Unit));
        var day = state.Limits.Single(l => l.Name == "free-models-per-day-high-balance");
        Assert.Equal((1000u, 3ul, 997ul, "day"), (day.RequestsPerUnit, day.Used, day.Remaining, day.Unit));
        var second = state.Limits.Single(l => l.Name == "paid-models-per-second");
        Assert.Equal((12u, 1ul, 11ul, "second"), (second.RequestsPerUnit, second.Used, second.Remaining, second.Unit));
    }

    [Fact]
    public async Task GetAccount_EmptyId_InvalidArgument()
    {
        // Act
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await sidecar.BalanceClient().GetAccountAsync(new GetAccountRequest(), SidecarFixture.Authorized()));

        // Assert
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task StreamBalances_SameVersionOtherContentAndAVersionAboveTheBound_RejectedAndTheStreamGoesOn()
    {
        // Arrange
        using var call = sidecar.BalanceClient().StreamBalances(SidecarFixture.Authorized());
        BalanceUpdate[] updates =
        [
            new() { Sequence = 1, AccountId = "hazards", BalanceMicros = 5_000_000, Version = 5 },
            new() { Sequence = 2, AccountId = "hazards", BalanceMicros = 9_000_000, Version = 5 },
            new() { Sequence = 3, AccountId = "hazards", BalanceMicros = 1, Version = ulong.MaxValue },
            new() { Sequence = 4, AccountId = "hazards", BalanceMicros = 6_000_000, Version = 6 },
        ];

        // Act
        var acks = await ExchangeAsync(call, updates);
        var state = await sidecar.BalanceClient().GetAccountAsync(new GetAccountRequest { AccountId = "hazards" }, SidecarFixture.Authorized());

        // Assert: the conflict is named, the absurd version never lands, and the next update applies.
        Assert.Equal([Outcome.Applied, Outcome.Rejected, Outcome.Rejected, Outcome.Applied], acks.Select(a => a.Outcome));
        Assert.Equal("version", acks[1].Error.Field);
        Assert.Contains("other content", acks[1].Error.Message, StringComparison.Ordinal);
        Assert.Equal(5ul, acks[1].VersionInForce);
        Assert.Equal("version", acks[2].Error.Field);
        Assert.Contains("must be from 1 to 9223372036854775807", acks[2].Error.Message, StringComparison.Ordinal);
        Assert.Equal(6_000_000, state.BalanceMicros);
        Assert.Equal(6ul, state.Version);
    }

    [Fact]
    public async Task StreamBalanceBatches_TwoBatches_OneAnswerEachWithAnAckPerUpdateInOrder()
    {
        // Arrange
        using var call = sidecar.BalanceClient().StreamBalanceBatches(SidecarFixture.Authorized());
        var first = new BalanceUpdateBatch();
        first.Updates.Add(new BalanceUpdate { Sequence = 1, AccountId = "batch-a", BalanceMicros = 3_000_000, Version = 1 });
        first.Updates.Add(new BalanceUpdate { Sequence = 2, AccountId = "batch-b", BalanceMicros = 1, PurchasedMicros = -1, Version = 1 });
        first.Updates.Add(new BalanceUpdate { Sequence = 3, AccountId = "batch-a", BalanceMicros = 4_000_000, Version = 2 });
        var second = new BalanceUpdateBatch();
        second.Updates.Add(new BalanceUpdate { Sequence = 4, AccountId = "batch-a", BalanceMicros = 1, Version = 1 });

        // Act
        await call.RequestStream.WriteAsync(first);
        await call.RequestStream.WriteAsync(second);
        await call.RequestStream.CompleteAsync();
        var answers = new List<BalanceAckBatch>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            answers.Add(call.ResponseStream.Current);
        }

        var state = await sidecar.BalanceClient().GetAccountAsync(new GetAccountRequest { AccountId = "batch-a" }, SidecarFixture.Authorized());

        // Assert
        Assert.Equal(2, answers.Count);
        Assert.Equal([1ul, 2ul, 3ul], answers[0].Acks.Select(ack => ack.Sequence));
        Assert.Equal([Outcome.Applied, Outcome.Rejected, Outcome.Applied], answers[0].Acks.Select(ack => ack.Outcome));
        Assert.Equal("purchased_micros", answers[0].Acks[1].Error.Field);
        var stale = Assert.Single(answers[1].Acks);
        Assert.Equal(Outcome.Stale, stale.Outcome);
        Assert.Equal(2ul, stale.VersionInForce);
        Assert.Equal(4_000_000L, state.BalanceMicros);
    }

    [Fact]
    public async Task StreamBalances_UpdateWithInvalidUtf8_RejectedAndTheStreamGoesOn()
    {
        // Arrange: raw bytes, since a generated client cannot send a string that is not UTF-8.
        var raw = new Method<byte[], BalanceAck>(MethodType.DuplexStreaming, "sidecar.balance.v1.BalanceService", "StreamBalances",
            Marshallers.Create(static (byte[] bytes) => bytes, static bytes => bytes), Marshallers.Create(static (BalanceAck ack) => ack.ToByteArray(), BalanceAck.Parser.ParseFrom));
        using var call = sidecar.Channel(sidecar.BalanceAddress).CreateCallInvoker()
            .AsyncDuplexStreamingCall(raw, null, new CallOptions(SidecarFixture.Authorized()));
        byte[] invalid = [0x08, 0x07, 0x12, 0x02, 0xFF, 0xFE, 0x30, 0x01];
        var valid = new BalanceUpdate { Sequence = 8, AccountId = "after-invalid", BalanceMicros = 2_000_000, Version = 1 }.ToByteArray();

        // Act
        await call.RequestStream.WriteAsync(invalid);
        await call.RequestStream.WriteAsync(valid);
        await call.RequestStream.CompleteAsync();
        var acks = new List<BalanceAck>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            acks.Add(call.ResponseStream.Current);
        }

        // Assert
        Assert.Equal([7ul, 8ul], acks.Select(a => a.Sequence));
        Assert.Equal([Outcome.Rejected, Outcome.Applied], acks.Select(a => a.Outcome));
        Assert.Equal("update", acks[0].Error.Field);
        Assert.Equal("account_id is not valid UTF-8", acks[0].Error.Message);
    }

    [Fact]
    public async Task StreamBalanceBatches_OneUpdateWithInvalidUtf8_OnlyThatOneRejected()
    {
        // Arrange: a batch of a bad update between two good ones, as raw bytes.
        var raw = new Method<byte[], BalanceAckBatch>(MethodType.DuplexStreaming, "sidecar.balance.v1.BalanceService", "StreamBalanceBatches",
            Marshallers.Create(static (byte[] bytes) => bytes, static bytes => bytes), Marshallers.Create(static (BalanceAckBatch acks) => acks.ToByteArray(), BalanceAckBatch.Parser.ParseFrom));
        using var call = sidecar.Channel(sidecar.BalanceAddress).CreateCallInvoker()
            .AsyncDuplexStreamingCall(raw, null, new CallOptions(SidecarFixture.Authorized()));
        byte[] invalid = [0x08, 0x02, 0x12, 0x01, 0xC3, 0x30, 0x01];
        var first = new BalanceUpdate { Sequence = 1, AccountId = "batch-good-1", BalanceMicros = 1_000_000, Version = 1 }.ToByteArray();
        var third = new BalanceUpdate { Sequence = 3, AccountId = "batch-good-3", BalanceMicros = 3_000_000, Version = 1 }.ToByteArray();
        byte[] batch = [0x0A, (byte)first.Length, .. first, 0x0A, (byte)invalid.Length, .. invalid, 0x0A, (byte)third.Length, .. third];

        // Act
        await call.RequestStream.WriteAsync(batch);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var answer = call.ResponseStream.Current;

        // Assert
        Assert.Equal([1ul, 2ul, 3ul], answer.Acks.Select(a => a.Sequence));
        Assert.Equal([Outcome.Applied, Outcome.Rejected, Outcome.Applied], answer.Acks.Select(a => a.Outcome));
        Assert.Equal("account_id is not valid UTF-8", answer.Acks[1].Error.Message);
    }

    /// <summary>Sends each update and reads its ack before the next, then completes the stream and checks it ends.</summary>
    private static async Task<List<BalanceAck>> ExchangeAsync(AsyncDuplexStreamingCall<BalanceUpdate, BalanceAck> call, IEnumerable<BalanceUpdate> updates)
    {
        var acks = new List<BalanceAck>();
        foreach (var update in updates)
        {
            await call.RequestStream.WriteAsync(update);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            acks.Add(call.ResponseStream.Current);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        return acks;
    }

    [Fact]
    public async Task StreamBalances_AccountIdAsLongAsADescriptorValue_AppliedAndBilledOnTheRateLimitEndpoint()
    {
        // Arrange: 1,024 UTF-8 bytes, the longest value Envoy may send.
        var accountId = new string('x', Sidecar.Engine.State.Accounts.BalanceUpdateValidator.MaxAccountIdBytes);

        // Act
        var ack = await sidecar.PushAsync(new BalanceUpdate { Sequence = 1, AccountId = accountId, BalanceMicros = 3_000_000, Version = 1 });
        var decision = await sidecar.RateLimitClient().ShouldRateLimitAsync(Requests.OpenRouter(accountId, "openai/gpt-5"));

        // Assert
        Assert.Equal(Outcome.Applied, ack.Outcome);
        Assert.Equal(Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code.Ok, decision.OverallCode);
        Assert.Equal(3u, decision.Statuses[0].CurrentLimit.RequestsPerUnit);
    }
}

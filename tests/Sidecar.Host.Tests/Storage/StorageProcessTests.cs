using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using Sidecar.Balance.V1;
using Sidecar.Engine.Counters;
using Sidecar.Engine.State;
using Sidecar.Engine.State.Accounts;
using Sidecar.Host.Tests.Limits;
using Sidecar.Host.Tests.TestSupport;
using Sidecar.Storage.Disk;
using static Envoy.Service.Ratelimit.V3.RateLimitResponse.Types;

namespace Sidecar.Host.Tests.Storage;

/// <summary>What the disk store promises about the process: acknowledged balances and written counts survive SIGKILL, nothing is lost to SIGTERM, one process per directory, a full disk ends a stream, not the sidecar.</summary>
public sealed class StorageProcessTests : IDisposable
{
    private const string FreeModel = "meta-llama/llama-3.3-70b-instruct:free";

    private readonly TempDirectory _data = new("sidecar-state");
    private readonly TempLimitsDirectory _limits = new();

    public StorageProcessTests()
    {
        _limits.Write("api.yaml", TempLimitsDirectory.Domain("api", "client", 100, "day"));
    }

    private string[] Args(string counterWriteInterval) =>
    [
        "--Sidecar:Storage:Mode=disk",
        $"--Sidecar:Storage:Directory={_data.Path}",
        $"--Sidecar:Storage:CounterWriteInterval={counterWriteInterval}",
        $"--Sidecar:Limits:Directory={_limits.Path}",
    ];

    [Fact]
    public async Task Sigkill_AfterAcknowledgedBalancesAndWrittenCounts_RestartRestoresThem()
    {
        // Arrange: 1,000 acknowledged balances, 5 free requests and 60 of a configured 100 a day, written behind.
        var args = Args("00:00:00.05");
        var day = DateTime.UtcNow.Date;
        await using (var first = await RunningSidecar.StartAsync(args))
        {
            var acks = await PushAsync(first, Enumerable.Range(0, 1_000).Select(i => Update($"acct-{i}", (i + 1) * 1_000_000L, version: 3)));
            Assert.All(acks, ack => Assert.Equal(BalanceAck.Types.Outcome.Applied, ack.Outcome));
            await CountAsync(first, free: 5, configured: 60);
            await WaitUntilWrittenAsync(freeDay: 5, configured: 60);

            // Act
            await first.KillAsync();
        }

        await using var second = await RunningSidecar.StartAsync(args);

        // Assert
        Assert.Contains("restored 1000 balances", second.Output, StringComparison.Ordinal);
        var billed = await GetAccountAsync(second, "acct-41");
        Assert.Equal(42_000_000L, billed.BalanceMicros);
        Assert.True(billed.Restored);
        var sameDay = DateTime.UtcNow.Date == day;
        Assert.Equal(sameDay ? 5ul : 0ul, (await GetAccountAsync(second, "free-acct")).Limits.Single(l => l.Name == "free-models-per-day").Used);
        Assert.Equal(sameDay ? 39u : 99u, (await ConfiguredAsync(second)).LimitRemaining);
        var stale = Assert.Single(await PushAsync(second, [Update("acct-41", 1, version: 2)]));
        Assert.Equal(BalanceAck.Types.Outcome.Stale, stale.Outcome);
        Assert.Equal(3ul, stale.VersionInForce);
    }

    [Fact]
    public async Task Sigterm_CountsNoPassHasWritten_NothingLost()
    {
        // Arrange: counts made just before the signal; the write-behind interval is an hour, so only the shutdown can write them.
        var args = Args("01:00:00");
        var day = DateTime.UtcNow.Date;
        await using (var first = await RunningSidecar.StartAsync(args))
        {
            var ack = Assert.Single(await PushAsync(first, [Update("acct-1", 7_000_000, version: 1)]));
            Assert.True(ack.Outcome == BalanceAck.Types.Outcome.Applied, first.Output);
            await CountAsync(first, free: 7, configured: 30);

            // Act
            Assert.Equal(0, await first.TerminateAsync());
        }

        await using var second = await RunningSidecar.StartAsync(args);

        // Assert
        var sameDay = DateTime.UtcNow.Date == day;
        Assert.Equal(7_000_000L, (await GetAccountAsync(second, "acct-1")).BalanceMicros);
        Assert.Equal(sameDay ? 7ul : 0ul, (await GetAccountAsync(second, "free-acct")).Limits.Single(l => l.Name == "free-models-per-day").Used);
        Assert.Equal(sameDay ? 69u : 99u, (await ConfiguredAsync(second)).LimitRemaining);
    }

    [Fact]
    public async Task Start_DirectoryHeldByAnotherSidecar_ExitsWithOneLine()
    {
        // Arrange
        await using var first = await RunningSidecar.StartAsync(Args("00:00:01"));

        // Act
        var (code, _, error) = await SidecarProcess.RunAsync("--Sidecar:RateLimit:Port=0", "--Sidecar:Storage:Mode=disk", $"--Sidecar:Storage:Directory={_data.Path}");

        // Assert
        Assert.Equal(1, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Not starting: Sidecar:Storage:Directory", line, StringComparison.Ordinal);
        Assert.Contains("in use by another process", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BalanceStream_DiskFull_EndsUnavailableAndDecisionsGoOn()
    {
        // Arrange: files may grow to 64 KiB; a write beyond fails with EFBIG, as on a full disk (the signal it would raise is
        // ignored). The runtime's double-mapped code memory is a file too, so it is turned off for this process.
        await using var sidecar = await RunningSidecar.StartAsync(Args("00:00:01"), shellPrefix: "export DOTNET_EnableWriteXorExecute=0; trap '' XFSZ; ulimit -f 64");
        RpcException? failure = null;

        // Act: push until an update cannot be made durable.
        for (var batch = 0; batch < 100 && failure is null; batch++)
        {
            try
            {
                await PushAsync(sidecar, Enumerable.Range(0, 500).Select(i => Update($"acct-{batch}-{i}", 1_000_000, version: 1)));
            }
            catch (RpcException ex)
            {
                failure = ex;
            }
        }

        // Assert
        Assert.NotNull(failure);
        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.True(failure.Status.Detail.Contains("durable", StringComparison.Ordinal), failure.Status.Detail + "\n" + sidecar.Output);
        var answer = await sidecar.RateLimitClient().ShouldRateLimitAsync(Requests.OpenRouter("free-acct", FreeModel));
        Assert.Equal(RateLimitResponse.Types.Code.Ok, answer.OverallCode);
    }

    public void Dispose()
    {
        _data.Dispose();
        _limits.Dispose();
    }

    private static BalanceUpdate Update(string account, long balanceMicros, ulong version)
        => new() { AccountId = account, BalanceMicros = balanceMicros, Version = version };

    /// <summary>Sends every update on one stream without waiting for acks, and returns the acks.</summary>
    private static async Task<List<BalanceAck>> PushAsync(RunningSidecar sidecar, IEnumerable<BalanceUpdate> updates)
    {
        using var call = sidecar.BalanceClient().StreamBalances(Authorized());
        var reading = Task.Run(async () =>
        {
            var acks = new List<BalanceAck>();
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                acks.Add(call.ResponseStream.Current);
            }

            return acks;
        });
        ulong sequence = 0;
        try
        {
            foreach (var update in updates)
            {
                update.Sequence = ++sequence;
                await call.RequestStream.WriteAsync(update);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The stream ended early; the reader reports why.
        }

        return await reading;
    }

    private static Task<AccountState> GetAccountAsync(RunningSidecar sidecar, string account)
        => sidecar.BalanceClient().GetAccountAsync(new GetAccountRequest { AccountId = account }, Authorized()).ResponseAsync;

    private static async Task CountAsync(RunningSidecar sidecar, int free, int configured)
    {
        var client = sidecar.RateLimitClient();
        for (var i = 0; i < free; i++)
        {
            Assert.Equal(RateLimitResponse.Types.Code.Ok, (await client.ShouldRateLimitAsync(Requests.OpenRouter("free-acct", FreeModel))).OverallCode);
        }

        for (var i = 0; i < configured; i++)
        {
            Assert.Equal(RateLimitResponse.Types.Code.Ok, (await ConfiguredAsync(sidecar)).Code);
        }
    }

    /// <summary>One request of the configured domain; its descriptor's status.</summary>
    private static async Task<DescriptorStatus> ConfiguredAsync(RunningSidecar sidecar)
    {
        var request = new RateLimitRequest { Domain = "api" };
        request.Descriptors.Add(Requests.Generic(("client", "c1")));
        return (await sidecar.RateLimitClient().ShouldRateLimitAsync(request)).Statuses.Single();
    }

    /// <summary>Waits until the journal holds the free account's day count and the configured count: written behind the decisions.</summary>
    private async Task WaitUntilWrittenAsync(uint freeDay, uint configured)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var read = new LastWords();
            foreach (var journal in Directory.GetFiles(_data.Path, "journal-*.log").Order(StringComparer.Ordinal))
            {
                StateFileReader.Read(journal, StateFileKind.Journal, read);
            }

            if (read.FreeDay == freeDay && read.Configured == configured)
            {
                return;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    private static Metadata Authorized() => new() { { "authorization", "Bearer " + RunningSidecar.Token } };

    /// <summary>The last counts the journal holds for the free account and the configured counter.</summary>
    private sealed class LastWords : IStateRecordSink
    {
        public uint FreeDay { get; private set; }

        public uint Configured { get; private set; }

        public void Balance(ReadOnlySpan<byte> encodedId, AccountBalance balance)
        {
        }

        public void VersionReset(ReadOnlySpan<byte> encodedId)
        {
        }

        public void AccountCounters(ReadOnlySpan<byte> encodedId, in AccountCounterWords counters)
        {
            if (AccountId.Decode(encodedId) == "free-acct")
            {
                FreeDay = FixedWindowCounter.CountOf(counters.FreeDay);
            }
        }

        public void LimitCounter(in CounterSnapshot counter) => Configured = FixedWindowCounter.CountOf(counter.First);
    }
}

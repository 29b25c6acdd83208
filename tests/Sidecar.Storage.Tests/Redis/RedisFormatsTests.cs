using Sidecar.Engine.State.Accounts;
using Sidecar.Storage.Redis;

namespace Sidecar.Storage.Tests.Redis;

/// <summary>What replicas write to Redis and announce to each other, and how an operator's Redis address is read.</summary>
public sealed class RedisFormatsTests
{
    [Theory]
    [InlineData("acct-1")]
    [InlineData("team|a|b")]
    [InlineData("line\nbreak")]
    public void BalanceMessage_Update_ReadsBackAsWritten(string accountId)
    {
        // Arrange
        var balance = new AccountBalance(-1_500_000, 20_000_000, 42, ulong.MaxValue >> 1);

        // Act
        var read = BalanceMessage.TryRead(BalanceMessage.OfUpdate(accountId, balance), out var id, out var back);

        // Assert
        Assert.True(read);
        Assert.Equal(accountId, id);
        Assert.Equal(balance, back);
    }

    [Fact]
    public void BalanceMessage_UpdateWithoutCap_ReadsBackWithoutCap()
    {
        // Act
        var read = BalanceMessage.TryRead(BalanceMessage.OfUpdate("a", new AccountBalance(1, 0, null, 3)), out _, out var back);

        // Assert
        Assert.True(read);
        Assert.Null(back!.MaxRequestsPerSecond);
    }

    [Fact]
    public void BalanceMessage_Reset_ReadsBackWithoutBalance()
    {
        // Act
        var read = BalanceMessage.TryRead(BalanceMessage.OfReset("x|y"), out var id, out var back);

        // Assert
        Assert.True(read);
        Assert.Equal("x|y", id);
        Assert.Null(back);
    }

    [Theory]
    [InlineData("")]
    [InlineData("set|1|2|3|4")]
    [InlineData("set|x|2||4|a")]
    [InlineData("set|1|2|0|4|a")]
    [InlineData("reset|")]
    [InlineData("other|a")]
    public void BalanceMessage_Malformed_NotRead(string message)
        => Assert.False(BalanceMessage.TryRead(message, out _, out _));

    [Theory]
    [InlineData("redis-1:6379,password=p", "redis-1:6379,password=p")]
    [InlineData("redis://localhost:6380", "localhost:6380")]
    [InlineData("redis://:s%40cret@cache", "cache:6379,password=s@cret")]
    [InlineData("rediss://user:pw@cache:7000", "cache:7000,password=pw,ssl=true")]
    public void RedisConnectionString_From_StackExchangeConfiguration(string given, string expected)
        => Assert.Equal(expected, RedisConnectionString.From(given));

    [Fact]
    public void RedisKeys_Version_OrdersAsStringsAsAsNumbers()
    {
        // Act
        var versions = new ulong[] { 0, 9, 10, 1UL << 53, (1UL << 53) + 1, long.MaxValue }.Select(RedisKeys.Version).ToList();

        // Assert
        Assert.Equal(versions.Order(StringComparer.Ordinal), versions);
        Assert.All(versions, version => Assert.Equal(20, version.Length));
    }
}

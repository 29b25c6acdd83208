using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using Grpc.Core;
using Sidecar.Host.Tests.TestSupport;
using static Envoy.Service.Ratelimit.V3.RateLimitResponse.Types;

namespace Sidecar.Host.Tests.RateLimit;

/// <summary>Malformed and oversized requests get INVALID_ARGUMENT with a message; the server and its counters carry on.</summary>
public sealed class BadInputTests(SidecarFixture sidecar) : IClassFixture<SidecarFixture>
{
    private static readonly Method<byte[], RateLimitResponse> RawShouldRateLimit = new(
        MethodType.Unary,
        "envoy.service.ratelimit.v3.RateLimitService",
        "ShouldRateLimit",
        Marshallers.Create(static bytes => bytes, static bytes => bytes),
        Marshallers.Create(static (RateLimitResponse r) => r.ToByteArray(), RateLimitResponse.Parser.ParseFrom));

    public static TheoryData<string, byte[], string> BadRequests()
    {
        var data = new TheoryData<string, byte[], string>
        {
            { "invalid UTF-8 domain", [0x0A, 0x02, 0xC3, 0x28], "domain is not valid UTF-8" },
            { "truncated field", [0x0A, 0x05, 0x61], "truncated domain" },
            { "bad tag", [0x00, 0x01], "bad field tag" },
            { "unknown wire type", [0x0F], "cannot skip" },
            { "overlong hits_addend", [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], "bad hits_addend varint" },
            { "overlong unknown varint", [0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], "cannot skip field 4" },
            { "no domain", [0x12, 0x00], "domain must not be empty" },
            { "no descriptors", [0x0A, 0x01, 0x64], "descriptors must not be empty" },
        };

        var badValue = Requests.OpenRouter("acct", "m:free").ToByteArray();
        var index = badValue.AsSpan().IndexOf("acct"u8);
        badValue[index] = 0xFF;
        data.Add("invalid UTF-8 value", badValue, "descriptors[0].entries[0].value is not valid UTF-8");

        var many = new RateLimitRequest { Domain = "openrouter" };
        for (var i = 0; i < 65; i++)
        {
            many.Descriptors.Add(Requests.Descriptor("a", "m:free"));
        }

        data.Add("too many descriptors", many.ToByteArray(), "too many descriptors");

        var overlongHits = Requests.Generic(("tenant", "a")).ToByteArray()
            .Concat(new byte[] { 0x1A, 0x0B, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }).ToArray();
        data.Add(
            "overlong descriptor hits_addend",
            new RateLimitRequest { Domain = "tokens" }.ToByteArray().Concat(new byte[] { 0x12, (byte)overlongHits.Length }).Concat(overlongHits).ToArray(),
            "bad hits_addend varint in descriptors[0]");

        var wide = new RateLimitRequest { Domain = "openrouter" };
        wide.Descriptors.Add(Requests.Generic(Enumerable.Range(0, 17).Select(i => ($"k{i}", "v")).ToArray()));
        data.Add("too many entries", wide.ToByteArray(), "too many entries");

        data.Add("long value", Requests.OpenRouter(new string('x', 1025), "m:free").ToByteArray(), "at most 1024 are accepted");
        data.Add("long domain", new RateLimitRequest { Domain = new string('d', 257) }.ToByteArray(), "at most 256 are accepted");
        return data;
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task ShouldRateLimit_BadBytes_InvalidArgumentNamingTheProblem(string name, byte[] payload, string expected)
    {
        // Arrange
        var invoker = sidecar.Channel(sidecar.RateLimitAddress).CreateCallInvoker();

        // Act
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await invoker.AsyncUnaryCall(RawShouldRateLimit, null, default, payload));

        // Assert
        Assert.True(StatusCode.InvalidArgument == error.StatusCode, $"{name}: {error.Status}");
        Assert.Contains(expected, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldRateLimit_AfterBadInput_ServesAndCountsAsBefore()
    {
        // Arrange
        var client = sidecar.RateLimitClient();
        var invoker = sidecar.Channel(sidecar.RateLimitAddress).CreateCallInvoker();
        await client.ShouldRateLimitAsync(Requests.OpenRouter("survivor", "m:free"));
        foreach (var row in BadRequests())
        {
            await Assert.ThrowsAsync<RpcException>(async () =>
                await invoker.AsyncUnaryCall(RawShouldRateLimit, null, default, row.Data.Item2));
        }

        // Act
        var response = await client.ShouldRateLimitAsync(Requests.OpenRouter("survivor", "m:free"));

        // Assert
        Assert.Equal(Code.Ok, response.OverallCode);
        Assert.Equal(18u, response.Statuses[0].LimitRemaining);
    }

    [Fact]
    public async Task ShouldRateLimit_UnknownFieldsFromNewerEnvoy_Skipped()
    {
        // Arrange: a request-level field 9, which no Envoy sends yet.
        var payload = Requests.OpenRouter("newer-envoy", "m:free").ToByteArray().Concat(new byte[] { 0x4A, 0x01, 0x00 }).ToArray();
        var invoker = sidecar.Channel(sidecar.RateLimitAddress).CreateCallInvoker();

        // Act
        var response = await invoker.AsyncUnaryCall(RawShouldRateLimit, null, default, payload);

        // Assert
        Assert.Equal(Code.Ok, response.OverallCode);
    }
}

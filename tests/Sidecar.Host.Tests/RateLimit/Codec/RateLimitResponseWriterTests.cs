using System.Text.Json;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Engine.Decisions;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.State.Accounts;
using Sidecar.Host.RateLimit;
using Sidecar.Host.RateLimit.Codec;
using Sidecar.Host.RateLimit.Responses;
using Sidecar.Host.Settings;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.RateLimit.Codec;

/// <summary>The hand-written response writer produces the response the rules call for, field for field.</summary>
public sealed class RateLimitResponseWriterTests
{
    private const string FreePerDayMessage = "Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day";

    [Fact]
    public void Write_EveryDecisionShape_SameAsGeneratedMessage()
    {
        // Arrange: every limit, admitted and refused, alone and mixed, on a clock that moves.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 23, 59, 10, TimeSpan.Zero));
        var options = new OpenRouterOptions();
        var accounts = new AccountTable(4);
        var engine = new RateLimitEngine(clock, new OpenRouterPolicy(options, accounts));
        var writer = new RateLimitResponseWriter(new OpenRouterErrorBody(options), new ResponseHeaderOptions());
        accounts.Apply("rich", new AccountBalance(900_000_000, 20_000_000, null, 1), out _);
        accounts.Apply("poor", new AccountBalance(1_500_000, 0, null, 1), out _);
        accounts.Apply("debt", new AccountBalance(-5, 0, null, 1), out _);
        accounts.Apply("zero", new AccountBalance(0, 0, null, 1), out _);
        var requests = new[]
        {
            Request("openrouter", ("rich", "m:free")),
            Request("openrouter", ("rich", "paid")),
            Request("openrouter", ("poor", "paid"), ("rich", "m:free")),
            Request("openrouter", ("debt", "m:free")),
            Request("openrouter", ("zero", "paid")),
            Request("openrouter", ("unknown", "m:free"), ("generic", string.Empty)),
            Request("other-domain", ("rich", "paid")),
        };
        var checkedResponses = 0;

        for (var round = 0; round < 70; round++)
        {
            foreach (var bytes in requests)
            {
                var call = RateLimitCall.Rent();
                Assert.Null(RateLimitRequestReader.Read(bytes, call.Request));
                call.Decide(engine);

                // Act
                var written = writer.Write(call.Response, call.Summary, call.Decisions, call.BindingHits).ToArray();

                // Assert
                var expected = ExpectedResponse.For(call.Decisions, call.Summary, FreePerDayMessage);
                var actual = RateLimitResponse.Parser.ParseFrom(written);
                Assert.Equal(expected.RawBody.IsEmpty, actual.RawBody.IsEmpty);
                if (!expected.RawBody.IsEmpty)
                {
                    Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected.RawBody.Memory).RootElement, JsonDocument.Parse(actual.RawBody.Memory).RootElement),
                        $"{expected.RawBody.ToStringUtf8()} != {actual.RawBody.ToStringUtf8()}");
                    expected.RawBody = actual.RawBody;
                }

                Assert.Equal(expected, actual);
                Assert.Equal(expected.ToByteArray(), written);
                RateLimitCall.Return(call);
                checkedResponses++;
            }

            clock.Advance(TimeSpan.FromMilliseconds(700));
        }

        Assert.Equal(70 * requests.Length, checkedResponses);
    }

    private static byte[] Request(string domain, params (string Account, string Model)[] descriptors)
    {
        var request = new RateLimitRequest { Domain = domain };
        foreach (var (account, model) in descriptors)
        {
            request.Descriptors.Add(model.Length == 0 ? Requests.Generic(("remote_address", account)) : Requests.Descriptor(account, model));
        }

        return request.ToByteArray();
    }
}

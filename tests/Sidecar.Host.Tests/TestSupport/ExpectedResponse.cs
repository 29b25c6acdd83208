using System.Globalization;
using System.Text.Json;
using Envoy.Config.Core.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sidecar.Engine.Vocabulary;
using static Envoy.Service.Ratelimit.V3.RateLimitResponse.Types;

namespace Sidecar.Host.Tests.TestSupport;

/// <summary>
/// The response the sidecar must send for a set of decisions, built with the generated protobuf
/// types from the rules in README.md, to check the hand-written response writer against.
/// </summary>
internal static class ExpectedResponse
{
    public static RateLimitResponse For(ReadOnlySpan<DescriptorDecision> decisions, DecisionSummary summary, string freePerDayMessage)
    {
        var response = new RateLimitResponse { OverallCode = summary.Code == DecisionCode.OverLimit ? Code.OverLimit : Code.Ok };
        foreach (var decision in decisions)
        {
            response.Statuses.Add(Status(decision));
        }

        if (summary.BindingIndex < 0)
        {
            return response;
        }

        var binding = decisions[summary.BindingIndex];
        var limit = Text(binding.RequestsPerUnit);
        var remaining = Text(binding.Remaining);
        var reset = binding.ResetAfterTicks > 0
            ? Text((summary.NowUnixTicks + binding.ResetAfterTicks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond)
            : null;
        Header(response, "X-RateLimit-Limit", limit);
        Header(response, "X-RateLimit-Remaining", remaining);
        if (reset is not null)
        {
            Header(response, "X-RateLimit-Reset", reset);
        }

        if (summary.Refusal == RefusalReason.None)
        {
            return response;
        }

        var credits = summary.Refusal == RefusalReason.InsufficientCredits;
        if (!credits)
        {
            Header(response, "Retry-After", Text((binding.ResetAfterTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond));
        }

        Header(response, "content-type", "application/json");
        var headers = new Dictionary<string, string> { ["X-RateLimit-Limit"] = limit, ["X-RateLimit-Remaining"] = remaining };
        if (reset is not null)
        {
            headers["X-RateLimit-Reset"] = reset;
        }

        var name = LimitNames.Of(binding.Limit);
        var body = new
        {
            error = new
            {
                code = credits ? 402 : 429,
                message = credits
                    ? "Insufficient credits: the account's balance does not cover this request. Add credits to continue."
                    : binding.Limit == LimitKind.FreePerDay ? freePerDayMessage : $"Rate limit exceeded: {name}.",
                metadata = new
                {
                    error_type = credits ? "payment_required" : "rate_limit_exceeded",
                    limit_source = credits ? "openrouter_credits" : "openrouter_rate_limit",
                    limit = name,
                    headers,
                },
            },
        };
        response.RawBody = ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(body));
        response.DynamicMetadata = new Struct
        {
            Fields =
            {
                ["limit_source"] = Value.ForString(credits ? "openrouter_credits" : "openrouter_rate_limit"),
                ["error_code"] = Value.ForNumber(credits ? 402 : 429),
            },
        };
        return response;
    }

    private static DescriptorStatus Status(DescriptorDecision decision)
    {
        if (decision.Code == DecisionCode.NoLimit)
        {
            return new DescriptorStatus { Code = Code.Ok };
        }

        var status = new DescriptorStatus
        {
            Code = decision.Code == DecisionCode.OverLimit ? Code.OverLimit : Code.Ok,
            CurrentLimit = new RateLimitResponse.Types.RateLimit
            {
                Name = LimitNames.Of(decision.Limit),
                RequestsPerUnit = decision.RequestsPerUnit,
                Unit = (RateLimitResponse.Types.RateLimit.Types.Unit)decision.Unit,
            },
            LimitRemaining = decision.Remaining,
        };
        if (decision.ResetAfterTicks > 0)
        {
            status.DurationUntilReset = Duration.FromTimeSpan(TimeSpan.FromTicks(decision.ResetAfterTicks));
        }

        return status;
    }

    private static void Header(RateLimitResponse response, string key, string value)
        => response.ResponseHeadersToAdd.Add(new HeaderValue { Key = key, Value = value });

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

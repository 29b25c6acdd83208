using System.Globalization;
using Envoy.Config.Core.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf.WellKnownTypes;
using Sidecar.Engine.Decisions;
using static Envoy.Service.Ratelimit.V3.RateLimitResponse.Types;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// Turns engine decisions into Envoy's <see cref="RateLimitResponse"/>: one status per descriptor,
/// the <c>X-RateLimit-*</c> headers of the binding limit, and on refusal OpenRouter's JSON error as
/// <c>raw_body</c> plus dynamic metadata that lets Envoy answer 402 instead of 429 (see envoy/envoy.yaml).
/// </summary>
internal sealed class RateLimitResponseBuilder(OpenRouterErrorBody errorBody)
{
    /// <summary>Dynamic-metadata field naming what refused the request.</summary>
    public const string LimitSourceField = "limit_source";

    /// <summary>Dynamic-metadata field holding the HTTP status the refusal stands for.</summary>
    public const string ErrorCodeField = "error_code";

    /// <summary>Builds the response for <paramref name="decisions"/>.</summary>
    public RateLimitResponse Build(ReadOnlySpan<DescriptorDecision> decisions, DecisionSummary summary)
    {
        var response = new RateLimitResponse
        {
            OverallCode = summary.Code == DecisionCode.OverLimit ? Code.OverLimit : Code.Ok,
        };
        foreach (ref readonly var decision in decisions)
        {
            response.Statuses.Add(ToStatus(decision));
        }

        if (summary.BindingIndex < 0)
        {
            return response;
        }

        ref readonly var binding = ref decisions[summary.BindingIndex];
        var headers = RateLimitHeaderValues.For(binding, summary.NowUnixTicks);
        AddHeader(response, RateLimitHeaderValues.LimitHeader, headers.Limit);
        AddHeader(response, RateLimitHeaderValues.RemainingHeader, headers.Remaining);
        if (headers.Reset is not null)
        {
            AddHeader(response, RateLimitHeaderValues.ResetHeader, headers.Reset);
        }

        if (summary.Refusal == RefusalReason.None)
        {
            return response;
        }

        var credits = summary.Refusal == RefusalReason.InsufficientCredits;
        if (!credits)
        {
            var seconds = (binding.ResetAfterTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
            AddHeader(response, "Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
        }

        AddHeader(response, "content-type", "application/json");
        response.RawBody = errorBody.Create(binding, headers);
        response.DynamicMetadata = new Struct
        {
            Fields =
            {
                [LimitSourceField] = Value.ForString(credits ? OpenRouterErrorBody.CreditsSource : OpenRouterErrorBody.RateLimitSource),
                [ErrorCodeField] = Value.ForNumber(credits ? 402 : 429),
            },
        };
        return response;
    }

    private static DescriptorStatus ToStatus(in DescriptorDecision decision)
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

    private static void AddHeader(RateLimitResponse response, string key, string value)
        => response.ResponseHeadersToAdd.Add(new HeaderValue { Key = key, Value = value });
}

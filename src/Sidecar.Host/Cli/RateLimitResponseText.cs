using System.Globalization;
using System.Text;
using Envoy.Config.Core.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf.Collections;

namespace Sidecar.Host.Cli;

/// <summary>
/// A <c>ShouldRateLimit</c> answer for a person, one item per line: the overall code; each
/// descriptor's status with its limit, what remains and when it resets; the headers to add; the raw
/// body (as UTF-8 text); the dynamic metadata (as JSON).
/// </summary>
internal static class RateLimitResponseText
{
    /// <summary>Writes <paramref name="response"/>, the answer to <paramref name="request"/>, to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, RateLimitRequest request, RateLimitResponse response)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        output.WriteLine($"overall: {CodeName(response.OverallCode)}");
        for (var i = 0; i < response.Statuses.Count; i++)
        {
            var descriptor = i < request.Descriptors.Count ? $" ({DescriptorArgument.Describe(request.Descriptors[i])})" : string.Empty;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"descriptors[{i}]{descriptor}: {Describe(response.Statuses[i])}"));
        }

        WriteHeaders(output, "response header", response.ResponseHeadersToAdd);
        WriteHeaders(output, "request header", response.RequestHeadersToAdd);
        if (!response.RawBody.IsEmpty)
        {
            output.WriteLine($"body: {Encoding.UTF8.GetString(response.RawBody.Span)}");
        }

        if (response.DynamicMetadata is { } metadata)
        {
            output.WriteLine($"dynamic metadata: {ProtoText.Format(metadata)}");
        }
    }

    /// <summary><c>OVER_LIMIT, limit free-models-per-min 20 per minute, remaining 0, resets in 30s</c>.</summary>
    private static string Describe(RateLimitResponse.Types.DescriptorStatus status)
    {
        var text = new StringBuilder(CodeName(status.Code));
        var culture = CultureInfo.InvariantCulture;
        if (status.CurrentLimit is { } limit)
        {
            var name = limit.Name.Length == 0 ? string.Empty : limit.Name + " ";
            var unit = ProtoText.EnumName(RateLimitResponse.Types.RateLimit.Descriptor, RateLimitResponse.Types.RateLimit.UnitFieldNumber, (int)limit.Unit);
            text.Append(culture, $", limit {name}{limit.RequestsPerUnit} per {unit.ToLowerInvariant()}, remaining {status.LimitRemaining}");
        }
        else
        {
            text.Append(status.LimitRemaining == 0 ? ", no limit" : string.Create(culture, $", no limit, remaining {status.LimitRemaining}"));
        }

        if (status.DurationUntilReset is { } reset)
        {
            text.Append(culture, $", resets in {reset.ToTimeSpan().TotalSeconds.ToString("0.###", culture)}s");
        }

        return text.ToString();
    }

    private static void WriteHeaders(TextWriter output, string kind, RepeatedField<HeaderValue> headers)
    {
        foreach (var header in headers)
        {
            // Envoy takes raw_value when value is empty (bytes that are not UTF-8 text).
            var value = header.Value.Length == 0 && !header.RawValue.IsEmpty ? Encoding.UTF8.GetString(header.RawValue.Span) : header.Value;
            output.WriteLine($"{kind}: {header.Key}: {value}");
        }
    }

    private static string CodeName(RateLimitResponse.Types.Code code)
        => ProtoText.EnumName(RateLimitResponse.Descriptor, RateLimitResponse.OverallCodeFieldNumber, (int)code);
}

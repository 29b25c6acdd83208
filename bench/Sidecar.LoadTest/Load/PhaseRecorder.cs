using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using HdrHistogram;
using Sidecar.LoadTest.Grpc;

namespace Sidecar.LoadTest.Load;

/// <summary>Latencies (nanoseconds, HdrHistogram, 3 significant digits) and outcomes of measured calls. Not thread-safe: one per worker, merged at the end.</summary>
internal sealed class PhaseRecorder
{
    /// <summary>Latencies above an hour are recorded as an hour.</summary>
    private const long HighestNanos = 3_600_000_000_000;

    private static readonly double NanosPerTick = 1e9 / System.Diagnostics.Stopwatch.Frequency;

    private readonly long[] _errors = new long[Enum.GetValues<StatusCode>().Max(s => (int)s) + 1];

    public LongHistogram Latency { get; } = new(HighestNanos, 3);

    public long Ok { get; private set; }

    public long OverLimit { get; private set; }

    /// <summary>Answers with overall code UNKNOWN (the no-op never sends one; the sidecar only for domains it does not know).</summary>
    public long UnknownCode { get; private set; }

    public long Errors => _errors.Sum();

    /// <summary>The latency at <paramref name="percentile"/> (0 to 100), in microseconds.</summary>
    public double LatencyMicros(double percentile) => Latency.GetValueAtPercentile(percentile) / 1000.0;

    /// <summary>Calls answered with a response, whatever its code.</summary>
    public long Answered => Ok + OverLimit + UnknownCode;

    public long Calls => Answered + Errors;

    public void Record(CallOutcome outcome, long elapsedTicks)
    {
        Latency.RecordValue(Math.Clamp((long)(elapsedTicks * NanosPerTick), 1, HighestNanos));
        if (outcome.Status != StatusCode.OK)
        {
            _errors[(int)outcome.Status]++;
        }
        else if (outcome.Code == RateLimitResponse.Types.Code.Ok)
        {
            Ok++;
        }
        else if (outcome.Code == RateLimitResponse.Types.Code.OverLimit)
        {
            OverLimit++;
        }
        else
        {
            UnknownCode++;
        }
    }

    /// <summary>The calls of several recorders (one per worker, or per round) taken together.</summary>
    public static PhaseRecorder Merge(IEnumerable<PhaseRecorder> recorders)
    {
        var total = new PhaseRecorder();
        foreach (var recorder in recorders)
        {
            total.Add(recorder);
        }

        return total;
    }

    public void Add(PhaseRecorder other)
    {
        Latency.Add(other.Latency);
        Ok += other.Ok;
        OverLimit += other.OverLimit;
        UnknownCode += other.UnknownCode;
        for (var i = 0; i < _errors.Length; i++)
        {
            _errors[i] += other._errors[i];
        }
    }

    /// <summary>Errors by gRPC status, e.g. <c>Unavailable=3</c>; empty when there were none.</summary>
    public string DescribeErrors() => string.Join(' ', _errors.Select((count, status) => (count, status)).Where(e => e.count > 0).Select(e => $"{(StatusCode)e.status}={e.count}"));
}

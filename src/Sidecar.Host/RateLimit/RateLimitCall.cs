using Sidecar.Engine.Decisions;
using Sidecar.Host.Protobuf;
using Sidecar.Host.RateLimit.Codec;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// One <c>ShouldRateLimit</c> call from parse to answer: the request as read, the decisions taken
/// and the encoded answer. The same object is the method's request and its response, and it is
/// reused: <see cref="Rent"/> takes the calling thread's spare one, and the response marshaller
/// hands it back once the answer is written, so a call allocates nothing of its own.
/// </summary>
/// <remarks>
/// A call that ends without an answer (a cancelled or failed call) is simply not handed back and
/// is collected; the next <see cref="Rent"/> on that thread creates a new one.
/// </remarks>
internal sealed class RateLimitCall
{
    [ThreadStatic]
    private static RateLimitCall? t_spare;

    private DescriptorDecision[] _decisions = new DescriptorDecision[8];

    private RateLimitCall()
    {
        Completed = Task.FromResult(this);
    }

    /// <summary>The request as parsed.</summary>
    public RateLimitRequestBuffer Request { get; } = new();

    /// <summary>The summary of the decisions, once taken.</summary>
    public DecisionSummary Summary { get; private set; }

    /// <summary>This call as the already completed result of the service method.</summary>
    public Task<RateLimitCall> Completed { get; }

    /// <summary>The answer, encoded by <see cref="RateLimitResponseWriter"/> once the call is decided.</summary>
    public ProtobufWriter Response { get; } = new();

    /// <summary>The hits of the descriptor that speaks for the request, once decided (its own <c>hits_addend</c>, else the request's).</summary>
    public uint BindingHits
    {
        get
        {
            var view = new RateLimitRequestView(Request);
            return Summary.BindingIndex < 0 ? view.RequestHits : view.Hits(Summary.BindingIndex);
        }
    }

    /// <summary>One decision per descriptor, in request order.</summary>
    public ReadOnlySpan<DescriptorDecision> Decisions => _decisions.AsSpan(0, Request.DescriptorCount);

    /// <summary>The calling thread's spare call, or a new one.</summary>
    public static RateLimitCall Rent()
    {
        var call = t_spare;
        if (call is null)
        {
            return new RateLimitCall();
        }

        t_spare = null;
        return call;
    }

    /// <summary>Keeps <paramref name="call"/> as the calling thread's spare, when it has none.</summary>
    public static void Return(RateLimitCall call) => t_spare ??= call;

    /// <summary>Decides the request with <paramref name="engine"/>.</summary>
    public void Decide(RateLimitEngine engine)
    {
        var view = PrepareDecisions();
        Summary = engine.Decide(ref view, _decisions);
    }

    /// <summary>Decides the request with <paramref name="engine"/>, on the fallback share where a fleet share ran out (<see cref="RateLimitEngine.DecideWithoutWaiting"/>).</summary>
    public void DecideWithoutWaiting(RateLimitEngine engine)
    {
        var view = PrepareDecisions();
        Summary = engine.DecideWithoutWaiting(ref view, _decisions);
    }

    private RateLimitRequestView PrepareDecisions()
    {
        var count = Request.DescriptorCount;
        if (_decisions.Length < count)
        {
            _decisions = new DescriptorDecision[Math.Max(count, _decisions.Length * 2)];
        }

        return new RateLimitRequestView(Request);
    }
}

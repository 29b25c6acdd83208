using Sidecar.Engine.Counters;

namespace Sidecar.Engine.Policies;

/// <summary>
/// The shape every policy has: the engine lets each policy take its descriptors of a request and
/// prepare for it, asks it to decide each descriptor it took, and, when another descriptor refused the
/// request, to report its admitted ones as they stand after their hits were given back. The engine
/// calls the sealed policies directly, so that generic calls stay specialized and free of dispatch.
/// </summary>
/// <typeparam name="TScope">What the policy keeps for one request between preparing and deciding.</typeparam>
internal interface IDescriptorPolicy<TScope>
    where TScope : struct
{
    /// <summary>
    /// Takes the descriptors of <paramref name="request"/> this policy decides among those no policy has
    /// taken yet (marking their <paramref name="routes"/>) and prepares for the request; false when it
    /// takes none.
    /// </summary>
    bool Prepare<TRequest>(ref TRequest request, scoped Span<DescriptorRoute> routes, out TScope scope)
        where TRequest : IRateLimitRequest, allows ref struct;

    /// <summary>Decides descriptor <paramref name="index"/>, recording what it acquires in <paramref name="log"/>.</summary>
    DescriptorDecision Decide<TRequest>(ref TRequest request, int index, DescriptorRoute route, in TScope scope, UtcInstant now, ReservationLog log)
        where TRequest : IRateLimitRequest, allows ref struct;

    /// <summary>Reports admitted <paramref name="decision"/> as it stands once the refused request's <paramref name="hits"/> were given back.</summary>
    void GiveBack(ref DescriptorDecision decision, uint hits);
}

namespace Sidecar.Host.Balance;

/// <summary>An answer waiting for the store to make what it answers durable up to <paramref name="DurablePosition"/> (0: nothing to wait for).</summary>
/// <typeparam name="TAnswer">The answer's message type.</typeparam>
/// <param name="Answer">The answer to send.</param>
/// <param name="DurablePosition">The store position it waits for.</param>
internal readonly record struct PendingAnswer<TAnswer>(TAnswer Answer, long DurablePosition);

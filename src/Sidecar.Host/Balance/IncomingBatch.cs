using Sidecar.Balance.V1;

namespace Sidecar.Host.Balance;

/// <summary>One <see cref="BalanceUpdateBatch"/> as read off the wire: each update parsed on its own (<see cref="IncomingUpdate"/>).</summary>
/// <param name="Updates">The updates, in the batch's order.</param>
internal sealed record IncomingBatch(IReadOnlyList<IncomingUpdate> Updates);

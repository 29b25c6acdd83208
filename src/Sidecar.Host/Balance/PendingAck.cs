using Sidecar.Balance.V1;
using Sidecar.Storage;

namespace Sidecar.Host.Balance;

/// <summary>
/// An update handed to the store and the ack that will answer it: complete already when the update
/// was refused (<paramref name="Update"/> is <see langword="null"/>), else filled from the store's
/// result once the <paramref name="Ticket"/> is durable.
/// </summary>
/// <param name="Ack">The ack, with its sequence and account.</param>
/// <param name="Update">The update the store took; <see langword="null"/> when none was taken.</param>
/// <param name="Ticket">What the store gave for it.</param>
internal readonly record struct PendingAck(BalanceAck Ack, BalanceUpdate? Update, BalanceTicket Ticket);

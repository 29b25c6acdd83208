namespace Sidecar.Engine.State.Accounts;

/// <summary>Why a balance update was refused: the field at fault and what is wrong with it.</summary>
/// <param name="Field">The field, as the balance protocol names it (for example <c>purchased_micros</c>).</param>
/// <param name="Message">What is wrong.</param>
public sealed record BalanceUpdateError(string Field, string Message);

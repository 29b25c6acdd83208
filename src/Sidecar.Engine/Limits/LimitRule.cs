namespace Sidecar.Engine.Limits;

/// <summary>
/// One <c>rate_limit</c> of a configuration file: <paramref name="RequestsPerUnit"/> per
/// <paramref name="Unit"/>, counted by <paramref name="Algorithm"/>, or unlimited.
/// </summary>
/// <param name="Name">The limit's <c>name</c>, reported in <c>current_limit.name</c> and matched by <c>replaces</c>; empty when unnamed.</param>
/// <param name="RequestsPerUnit">Requests allowed per unit; 0 refuses every request. Kept but without effect when <paramref name="Unlimited"/>: check that first.</param>
/// <param name="Unit">The unit; <see cref="LimitUnit.None"/> exactly when <paramref name="Unlimited"/>.</param>
/// <param name="Algorithm">How requests are counted.</param>
/// <param name="Unlimited">Matches, answers OK with the most remaining, and counts nothing.</param>
/// <param name="CountOverLimit">
/// Counts every hit, over the limit too, whatever the request's outcome (<c>count_over_limit</c>, this
/// sidecar's extension): a charge larger than what is left still counts, leaving the limit overdrawn,
/// and so refusing, until its window ends. Windows only.
/// </param>
/// <param name="Replaces">Names of the limits this one drops when both match one request.</param>
/// <param name="Location">Where the limit was declared.</param>
public sealed record LimitRule(
    string Name,
    uint RequestsPerUnit,
    LimitUnit Unit,
    LimitAlgorithm Algorithm,
    bool Unlimited,
    bool CountOverLimit,
    IReadOnlyList<string> Replaces,
    ConfigLocation Location);

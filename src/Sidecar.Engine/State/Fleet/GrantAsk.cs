namespace Sidecar.Engine.State.Fleet;

/// <summary>
/// What a lease asks the store for: <paramref name="Want"/> hits of <paramref name="Limit"/> in
/// <paramref name="Window"/> (0 for a bucket), at the replica's clock reading
/// <paramref name="NowUnixTicks"/>, adding <paramref name="Claim"/> hits it admitted on its fallback
/// share while the store was away, so the fleet's count includes them.
/// </summary>
internal readonly record struct GrantAsk(uint Window, uint Limit, uint Want, long NowUnixTicks, uint Claim);

namespace Sidecar.Engine.Policies;

/// <summary>The scope of a policy that keeps nothing per request.</summary>
public readonly struct NoScope;

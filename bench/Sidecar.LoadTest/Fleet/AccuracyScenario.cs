namespace Sidecar.LoadTest.Fleet;

/// <summary>One way of running into a fleet-wide limit with one fresh account, and what one limit enforced fleet-wide admits.</summary>
internal abstract class AccuracyScenario
{
    public abstract string Name { get; }

    /// <summary>The fewest admitted calls a fleet-wide limit allows; equal to <see cref="IdealHigh"/> unless a bucket's burst makes a range.</summary>
    public abstract int IdealLow { get; }

    /// <summary>The most admitted calls a fleet-wide limit allows: more is an overshoot.</summary>
    public abstract int IdealHigh { get; }

    /// <summary>Settings the replicas need for this scenario; scenarios with the same ones share a fleet.</summary>
    public virtual IReadOnlyList<string> SidecarArgs => [];

    public string Ideal => IdealLow == IdealHigh ? $"{IdealHigh}" : $"[{IdealLow}, {IdealHigh}]";

    /// <summary>Runs the scenario once on <paramref name="fleet"/> for <paramref name="accountId"/>, an account no replica has seen.</summary>
    public abstract Task<AccuracyRun> RunAsync(SidecarFleet fleet, string accountId);
}

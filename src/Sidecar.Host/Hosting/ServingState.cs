namespace Sidecar.Host.Hosting;

/// <summary>
/// Where the process is in its life, for the HTTP health checks: starting until both gRPC endpoints
/// listen and the decision path is warm, serving, then draining from the moment it is asked to stop
/// (the reference's health turns unhealthy on SIGTERM), while calls in flight finish.
/// </summary>
internal sealed class ServingState
{
    private const int Starting = 0;
    private const int Serving = 1;
    private const int Draining = 2;

    private int _state;

    /// <summary>True once serving and until draining.</summary>
    public bool IsServing => Volatile.Read(ref _state) == Serving;

    /// <summary>What the process is doing, for a probe's body.</summary>
    public string Describe() => Volatile.Read(ref _state) switch
    {
        Starting => "starting",
        Serving => "serving",
        _ => "draining",
    };

    /// <summary>Both gRPC endpoints listen.</summary>
    public void Serve() => Interlocked.CompareExchange(ref _state, Serving, Starting);

    /// <summary>The process was asked to stop.</summary>
    public void Drain() => Volatile.Write(ref _state, Draining);
}

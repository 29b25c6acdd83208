namespace Sidecar.LoadTest.Workload;

/// <summary>The balance an account is given before a run.</summary>
internal enum AccountKind
{
    /// <summary>-$1: every request is refused with 402.</summary>
    Negative,

    /// <summary>$1: paid models at 1 request per second.</summary>
    Poor,

    /// <summary>A large balance and cap: paid models pass.</summary>
    Rich,
}

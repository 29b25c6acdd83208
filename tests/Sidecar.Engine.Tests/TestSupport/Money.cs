namespace Sidecar.Engine.Tests.TestSupport;

/// <summary>Amounts in the micro-dollars the balance protocol uses.</summary>
internal static class Money
{
    public const long MicrosPerDollar = 1_000_000;

    /// <summary><paramref name="dollars"/> in micro-dollars (exact for up to six decimals).</summary>
    public static long Dollars(decimal dollars) => (long)(dollars * MicrosPerDollar);
}

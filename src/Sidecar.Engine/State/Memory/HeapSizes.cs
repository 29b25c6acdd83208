namespace Sidecar.Engine.State.Memory;

/// <summary>What the runtime's own objects take on the heap of a 64-bit process, for the charges of <see cref="MemoryBudget"/>.</summary>
internal static class HeapSizes
{
    /// <summary>A string's header, length and terminator.</summary>
    private const int StringOverheadBytes = 22;

    /// <summary>An array's header and length.</summary>
    private const int ArrayHeaderBytes = 24;

    /// <summary>The bytes of a string of <paramref name="length"/> characters, rounded up to 8.</summary>
    public static long OfString(int length) => (StringOverheadBytes + (2L * length) + 7) & ~7L;

    /// <summary>The bytes of a byte array of <paramref name="length"/> bytes, rounded up to 8.</summary>
    public static long OfByteArray(int length) => ArrayHeaderBytes + ((length + 7L) & ~7L);
}

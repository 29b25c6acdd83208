namespace Sidecar.ReloadBench;

/// <summary>The three kinds of call in the mix, in equal shares.</summary>
internal enum CallKind : byte
{
    /// <summary>Domain <c>api</c>: one value-less descriptor of a file that never changes.</summary>
    Api,

    /// <summary>Domain <c>big</c>: a client value only the large file limits.</summary>
    Big,

    /// <summary>Domain <c>openrouter</c>: an account and a free or paid model.</summary>
    OpenRouter,
}

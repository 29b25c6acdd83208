namespace Sidecar.Host.RateLimit.Responses;

/// <summary>Builds arrays indexed by <see cref="LimitKind"/>, for values encoded once per limit.</summary>
internal static class LimitKindTable
{
    /// <summary>An array holding <paramref name="valueOf"/> of each kind at the kind's own index.</summary>
    public static T[] Create<T>(Func<LimitKind, T> valueOf)
    {
        var kinds = Enum.GetValues<LimitKind>();
        var table = new T[kinds.Max(kind => (int)kind) + 1];
        foreach (var kind in kinds)
        {
            table[(int)kind] = valueOf(kind);
        }

        return table;
    }
}

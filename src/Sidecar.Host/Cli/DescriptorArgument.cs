using Envoy.Extensions.Common.Ratelimit.V3;

namespace Sidecar.Host.Cli;

/// <summary>
/// One descriptor written on the command line as Envoy's entries: <c>account=a1,model=x:free</c>.
/// Entries are separated by commas and each key from its value by the first <c>=</c>, so a value may
/// hold <c>=</c> but not a comma; a value may be empty (<c>key=</c>).
/// </summary>
internal static class DescriptorArgument
{
    /// <summary>Reads <paramref name="text"/> into a descriptor.</summary>
    /// <exception cref="UsageException">An entry without <c>=</c> or with an empty key.</exception>
    public static RateLimitDescriptor Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var descriptor = new RateLimitDescriptor();
        foreach (var entry in text.Split(','))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"descriptor '{text}': each entry is key=value, not '{entry}'.");
            }

            descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = entry[..equals], Value = entry[(equals + 1)..] });
        }

        return descriptor;
    }

    /// <summary>The descriptor as it was written: <c>account=a1, model=x:free</c>.</summary>
    public static string Describe(RateLimitDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return string.Join(", ", descriptor.Entries.Select(entry => $"{entry.Key}={entry.Value}"));
    }
}

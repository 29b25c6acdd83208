using System.Runtime.CompilerServices;
using System.Text;

namespace Sidecar.Host.RateLimit.Responses;

/// <summary>
/// The policy names of the IETF <c>RateLimit</c> fields, as structured-field strings (quoted, with
/// <c>"</c> and <c>\</c> escaped and characters outside printable ASCII replaced by <c>_</c>).
/// Encoded once per limit: OpenRouter's limits up front, configured ones on first use.
/// </summary>
internal static class IetfPolicyNames
{
    private const string Unnamed = "default";

    private static readonly byte[][] s_openRouter = LimitKindTable.Create(kind => Encode(LimitNames.Of(kind)));
    private static readonly ConditionalWeakTable<ConfiguredLimit, byte[]> s_configured = [];

    /// <summary>The quoted name of the limit <paramref name="decision"/> reports.</summary>
    public static byte[] Of(in DescriptorDecision decision)
        => decision.Configured is { } limit
            ? s_configured.GetValue(limit, static limit => Encode(limit.Name))
            : s_openRouter[(int)decision.Limit];

    private static byte[] Encode(string name)
    {
        var text = new StringBuilder(name.Length + 2).Append('"');
        foreach (var c in name.Length == 0 ? Unnamed : name)
        {
            text.Append(c is '"' or '\\' ? "\\" + c : c is >= ' ' and <= '~' ? c.ToString() : "_");
        }

        return Encoding.ASCII.GetBytes(text.Append('"').ToString());
    }
}

using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Sidecar.Host.Cli;

/// <summary>
/// Messages as text the way their protos name things: the <c>--json</c> output of the commands, one
/// message per line in protobuf's JSON mapping, with the proto's field names (<c>account_id</c>, as
/// the update files and grpcurl write them) and every field, zero or not, so a script finds each
/// key; and enum values by their proto names (<c>OVER_LIMIT</c>, not <c>OverLimit</c>).
/// </summary>
internal static class ProtoText
{
    private static readonly JsonFormatter s_formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true).WithFormatDefaultValues(true));

    /// <summary>Writes <paramref name="message"/> as one line of JSON.</summary>
    public static void WriteLine(TextWriter output, IMessage message)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(Format(message));
    }

    /// <summary><paramref name="message"/> as JSON on one line.</summary>
    public static string Format(IMessage message) => s_formatter.Format(message);

    /// <summary>The proto name of value <paramref name="number"/> of the enum field <paramref name="field"/> of <paramref name="message"/>; the number when it has none (a value newer than our protos).</summary>
    public static string EnumName(MessageDescriptor message, int field, int number)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.FindFieldByNumber(field).EnumType.FindValueByNumber(number)?.Name ?? number.ToString(CultureInfo.InvariantCulture);
    }
}

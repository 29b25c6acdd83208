using Google.Protobuf;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// Reads an extension of a descriptor's options (<c>FieldOptions</c>, <c>OneofOptions</c>, ...) from
/// the options' own bytes: the extensions of protoc-gen-validate have no generated C# class here, so
/// the options keep them as unknown fields, which serialize back unchanged.
/// </summary>
internal static class OptionExtensions
{
    /// <summary>The bytes of the length-delimited extension <paramref name="number"/> (the last one, as protobuf merges), or null.</summary>
    public static ByteString? Bytes(IMessage? options, int number)
    {
        ByteString? found = null;
        Scan(options, number, input => found = input.ReadBytes());
        return found;
    }

    /// <summary>The boolean extension <paramref name="number"/>, false when absent.</summary>
    public static bool Flag(IMessage? options, int number)
    {
        var found = false;
        Scan(options, number, input => found = input.ReadBool());
        return found;
    }

    private static void Scan(IMessage? options, int number, Action<CodedInputStream> read)
    {
        if (options is null)
        {
            return;
        }

        var input = new CodedInputStream(options.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number)
            {
                read(input);
            }
            else
            {
                input.SkipLastField();
            }
        }
    }
}

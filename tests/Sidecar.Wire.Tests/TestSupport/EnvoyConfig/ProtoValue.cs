namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// A field's value as read from a configuration, in the form its validation rules compare: integers
/// and enum numbers exactly, floating point as <see cref="double"/>, durations in seconds, and the
/// type URL of an <c>Any</c>. A wrapper (<c>UInt32Value</c>, ...) is the value it wraps, as
/// protoc-gen-validate applies a scalar's rules to it.
/// </summary>
internal abstract record ProtoValue
{
    /// <summary>How the value reads in messages.</summary>
    public abstract string Describe();
}

/// <summary>An integer of any width, or an enum's number.</summary>
internal sealed record IntegerValue(decimal Value) : ProtoValue
{
    public override string Describe() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A float or a double.</summary>
internal sealed record FloatValue(double Value) : ProtoValue
{
    public override string Describe() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A boolean.</summary>
internal sealed record BooleanValue(bool Value) : ProtoValue
{
    public override string Describe() => Value ? "true" : "false";
}

/// <summary>A string, or the base64 text of bytes.</summary>
internal sealed record TextValue(string Value) : ProtoValue
{
    public override string Describe() => $"'{Value}'";
}

/// <summary>A <c>google.protobuf.Duration</c>, in seconds.</summary>
internal sealed record DurationValue(decimal Seconds) : ProtoValue
{
    public override string Describe() => $"{Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}s";
}

/// <summary>A message that is set; <paramref name="TypeUrl"/> is an <c>Any</c>'s <c>@type</c>, else null.</summary>
internal sealed record MessageValue(string? TypeUrl) : ProtoValue
{
    public override string Describe() => TypeUrl ?? "a message";
}

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>What a YAML scalar is to Envoy once its loader has turned the YAML into JSON (<see cref="EnvoyScalar"/>).</summary>
internal enum EnvoyScalarKind
{
    /// <summary>JSON null: the field is left unset.</summary>
    Null,

    /// <summary>A JSON boolean.</summary>
    Boolean,

    /// <summary>A JSON number (an integer that fits 32 bits).</summary>
    Number,

    /// <summary>A JSON string: a quoted or block scalar, or a plain one that is neither null, a boolean nor a 32-bit integer.</summary>
    String,
}

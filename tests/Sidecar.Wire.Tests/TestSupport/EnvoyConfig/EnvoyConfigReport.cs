namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>What <see cref="EnvoyConfigValidator"/> found in one configuration.</summary>
/// <param name="Problems">Everything Envoy would refuse, in document order; empty when the configuration is valid.</param>
/// <param name="NewerFieldsUsed">The allow-listed newer fields the configuration sets (the Envoy that runs it must have them).</param>
internal sealed record EnvoyConfigReport(IReadOnlyList<EnvoyConfigProblem> Problems, IReadOnlyList<NewerEnvoyField> NewerFieldsUsed);

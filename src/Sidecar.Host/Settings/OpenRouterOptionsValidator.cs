using Sidecar.Engine.Policies.OpenRouter;

namespace Sidecar.Host.Settings;

/// <summary>Checks OpenRouter's numbers with the rules the engine keeps beside them (<see cref="OpenRouterOptions.Problems"/>).</summary>
internal sealed class OpenRouterOptionsValidator() : SettingsValidator<OpenRouterOptions>(OpenRouterOptions.SectionName)
{
    /// <inheritdoc />
    public override string? Allowed(string key) => OpenRouterOptions.Allowed(key);

    /// <inheritdoc />
    protected override void Check(OpenRouterOptions options, List<string> failures) => failures.AddRange(options.Problems());
}

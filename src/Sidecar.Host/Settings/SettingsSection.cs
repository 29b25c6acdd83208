using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Sidecar.Host.Settings;

/// <summary>One section of the settings: its path, and its settings' keys.</summary>
internal abstract class SettingsSection
{
    /// <summary>The section's path, e.g. <c>Sidecar:RateLimit</c>.</summary>
    public abstract string Path { get; }

    /// <summary>The section's settings, as full keys (<c>Sidecar:RateLimit:Port</c>).</summary>
    public abstract IReadOnlyList<string> Keys { get; }

    /// <summary>Registers the section's options: bound once, checked and validated when the sidecar starts.</summary>
    public abstract void AddTo(IServiceCollection services);
}

/// <summary>
/// A section bound to <typeparamref name="TOptions"/>, whose settings are its public settable
/// properties. Before the binder runs, each value is checked to convert to its setting's type: the
/// binder would throw a bare <see cref="InvalidOperationException"/> for <c>Port=abc</c>, and this
/// reports it like a value out of range, as an <see cref="OptionsValidationException"/> naming the
/// setting, its value and what it must be.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class SettingsSection<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>
    : SettingsSection
    where TOptions : class
{
    private static readonly PropertyInfo[] s_settings = typeof(TOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(property => property.SetMethod is { IsPublic: true })
        .ToArray();

    private readonly SettingsValidator<TOptions>? _validator;
    private readonly Action<TOptions>? _postConfigure;

    /// <summary>Describes a section.</summary>
    /// <param name="path">The section's path.</param>
    /// <param name="validator">What checks the bound options and says what each setting accepts; none when any value of each setting's type is valid.</param>
    /// <param name="postConfigure">What completes the options once bound (for example resolving a relative path), before they are validated.</param>
    public SettingsSection(string path, SettingsValidator<TOptions>? validator, Action<TOptions>? postConfigure = null)
    {
        Path = path;
        _validator = validator;
        _postConfigure = postConfigure;
        Keys = [.. s_settings.Select(property => $"{path}:{property.Name}")];
    }

    /// <inheritdoc />
    public override string Path { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> Keys { get; }

    /// <inheritdoc />
    public override void AddTo(IServiceCollection services)
    {
        if (_validator is not null)
        {
            services.AddSingleton<IValidateOptions<TOptions>>(_validator);
        }

        var options = services.AddOptions<TOptions>()
            .Configure<IConfiguration>((_, configuration) => CheckValueTypes(configuration.GetSection(Path)))
            .BindConfiguration(Path)
            .ValidateOnStart();
        if (_postConfigure is not null)
        {
            options.PostConfigure(_postConfigure);
        }
    }

    /// <summary>Throws, naming every setting of <paramref name="section"/> whose value does not convert to the setting's type.</summary>
    /// <exception cref="OptionsValidationException">A value does not convert.</exception>
    private void CheckValueTypes(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        List<string>? failures = null;
        foreach (var setting in s_settings)
        {
            var value = section[setting.Name];
            if (value is null)
            {
                continue;
            }

            try
            {
                // The binder's own conversion, for this one setting.
                section.GetValue(setting.PropertyType, setting.Name);
            }
            catch (InvalidOperationException)
            {
                var allowed = _validator?.Allowed(setting.Name) ?? SettingMessages.AllowedFor(setting.PropertyType);
                (failures ??= []).Add(SettingMessages.Problem($"{Path}:{setting.Name}", value, allowed));
            }
        }

        if (failures is not null)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), failures);
        }
    }
}

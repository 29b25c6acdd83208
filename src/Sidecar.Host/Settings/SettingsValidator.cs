using Microsoft.Extensions.Options;

namespace Sidecar.Host.Settings;

/// <summary>
/// Validates one section of the settings when the sidecar starts, and says what each of its settings
/// accepts. The same words end the message of a value out of range (<c>Shards=3</c>) and of a value
/// the configuration binder cannot convert to the setting's type (<c>Port=abc</c>), so both read
/// alike: <c>Sidecar:Accounts:Shards is '3'; it must be a power of two from 1 to 1073741824.</c>
/// </summary>
/// <typeparam name="TOptions">The options type the section binds to.</typeparam>
/// <param name="section">The section's path, e.g. <c>Sidecar:Accounts</c>.</param>
internal abstract class SettingsValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    /// <summary>The section's path, e.g. <c>Sidecar:Accounts</c>.</summary>
    public string Section { get; } = section;

    /// <summary>
    /// What the setting <paramref name="key"/> (a property of <typeparamref name="TOptions"/>)
    /// accepts, as the end of the sentence "it must be …"; <see langword="null"/> when every value of
    /// its type is valid.
    /// </summary>
    public abstract string? Allowed(string key);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        Check(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Adds a message to <paramref name="failures"/> for each setting of <paramref name="options"/> out of range.</summary>
    protected abstract void Check(TOptions options, List<string> failures);

    /// <summary>The message of the setting <paramref name="key"/> holding <paramref name="value"/>, with what it must be.</summary>
    protected string Problem(string key, object? value, string? allowed = null)
        => SettingMessages.Problem($"{Section}:{key}", SettingMessages.Format(value), allowed ?? Allowed(key) ?? string.Empty);
}

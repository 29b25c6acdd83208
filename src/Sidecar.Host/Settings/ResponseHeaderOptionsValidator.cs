namespace Sidecar.Host.Settings;

/// <summary>Checks <c>Sidecar:ResponseHeaders</c>: the reference's header names are HTTP field names.</summary>
internal sealed class ResponseHeaderOptionsValidator() : SettingsValidator<ResponseHeaderOptions>(ResponseHeaderOptions.SectionName)
{
    private const string FieldName = "an HTTP field name: letters, digits and !#$%&'*+-.^_`|~, such as RateLimit-Limit";

    /// <inheritdoc />
    public override string? Allowed(string key) => key switch
    {
        nameof(ResponseHeaderOptions.LimitHeader) or nameof(ResponseHeaderOptions.RemainingHeader) or nameof(ResponseHeaderOptions.ResetHeader) => FieldName,
        _ => null,
    };

    /// <inheritdoc />
    protected override void Check(ResponseHeaderOptions options, List<string> failures)
    {
        foreach (var (key, name) in new[]
        {
            (nameof(ResponseHeaderOptions.LimitHeader), options.LimitHeader),
            (nameof(ResponseHeaderOptions.RemainingHeader), options.RemainingHeader),
            (nameof(ResponseHeaderOptions.ResetHeader), options.ResetHeader),
        })
        {
            if (!IsFieldName(name))
            {
                failures.Add(Problem(key, name));
            }
        }
    }

    /// <summary>RFC 9110's <c>token</c>: one or more visible characters that are not delimiters.</summary>
    private static bool IsFieldName(string? name)
        => !string.IsNullOrEmpty(name) && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}

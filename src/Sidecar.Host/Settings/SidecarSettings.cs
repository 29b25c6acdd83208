using Microsoft.Extensions.Options;
using Sidecar.Engine.Policies.Configured;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Storage;
using Sidecar.Storage.Redis;

namespace Sidecar.Host.Settings;

/// <summary>
/// The sidecar's settings: the nine sections under <c>Sidecar</c>, each bound once to its options
/// type through the Options pattern and validated by <see cref="Load"/>, before either endpoint is
/// built (Kestrel reads where to listen while an endpoint is built). A value out of range, or not of
/// its setting's type, stops the start with one line naming the setting, its value and what it must
/// be (see <see cref="FailuresOf"/>); a key that no section knows is ignored, and
/// <see cref="UnknownKeys"/> names it with the closest known key.
/// </summary>
internal sealed class SidecarSettings
{
    /// <summary>The configuration section every setting is under.</summary>
    public const string SectionName = "Sidecar";

    /// <summary>The environment variable envoyproxy/ratelimit reads its Redis from; used when <c>Sidecar:Storage:Redis:Configuration</c> is empty.</summary>
    public const string ReferenceRedisUrl = "REDIS_URL";

    private SidecarSettings(IServiceProvider options, IReadOnlyList<UnknownSetting> unknownKeys)
    {
        RateLimit = Get<RateLimitEndpointOptions>(options);
        Balance = Get<BalanceEndpointOptions>(options);
        Http = Get<HttpEndpointOptions>(options);
        Accounts = Get<AccountTableOptions>(options);
        OpenRouter = Get<OpenRouterOptions>(options);
        Limits = Get<ConfiguredLimitOptions>(options);
        ResponseHeaders = Get<ResponseHeaderOptions>(options);
        Storage = Get<StorageOptions>(options);
        Redis = Get<RedisStorageOptions>(options);
        UnknownKeys = unknownKeys;
    }

    /// <summary>The sections, as README lists them.</summary>
    public static IReadOnlyList<SettingsSection> Sections { get; } =
    [
        new SettingsSection<RateLimitEndpointOptions>(RateLimitEndpointOptions.SectionName, new EndpointOptionsValidator<RateLimitEndpointOptions>(RateLimitEndpointOptions.SectionName)),
        new SettingsSection<BalanceEndpointOptions>(BalanceEndpointOptions.SectionName, new BalanceEndpointOptionsValidator()),
        new SettingsSection<HttpEndpointOptions>(HttpEndpointOptions.SectionName, new EndpointOptionsValidator<HttpEndpointOptions>(HttpEndpointOptions.SectionName)),
        new SettingsSection<AccountTableOptions>(AccountTableOptions.SectionName, new AccountTableOptionsValidator()),
        new SettingsSection<OpenRouterOptions>(OpenRouterOptions.SectionName, new OpenRouterOptionsValidator()),
        new SettingsSection<ConfiguredLimitOptions>(ConfiguredLimitOptions.SectionName, new ConfiguredLimitOptionsValidator(), ResolveDirectory),
        new SettingsSection<ResponseHeaderOptions>(ResponseHeaderOptions.SectionName, new ResponseHeaderOptionsValidator()),
        new SettingsSection<StorageOptions>(StorageOptions.SectionName, new StorageOptionsValidator(), ResolveStorageDirectory),
        new SettingsSection<RedisStorageOptions>(RedisStorageOptions.SectionName, new RedisStorageOptionsValidator()),
    ];

    /// <summary>Every setting's full key, e.g. <c>Sidecar:RateLimit:Port</c>.</summary>
    public static IReadOnlyList<string> KnownKeys { get; } = [.. Sections.SelectMany(section => section.Keys)];

    /// <summary><c>Sidecar:RateLimit</c>: the endpoint Envoy calls.</summary>
    public RateLimitEndpointOptions RateLimit { get; }

    /// <summary><c>Sidecar:Balance</c>: the endpoint the billing system pushes balances to.</summary>
    public BalanceEndpointOptions Balance { get; }

    /// <summary><c>Sidecar:Http</c>: the endpoint of metrics and health.</summary>
    public HttpEndpointOptions Http { get; }

    /// <summary><c>Sidecar:Accounts</c>: the account table.</summary>
    public AccountTableOptions Accounts { get; }

    /// <summary><c>Sidecar:OpenRouter</c>: OpenRouter's numbers.</summary>
    public OpenRouterOptions OpenRouter { get; }

    /// <summary><c>Sidecar:Limits</c>: the configured limits' directory, counting and reload (the directory resolved to a full path).</summary>
    public ConfiguredLimitOptions Limits { get; }

    /// <summary><c>Sidecar:ResponseHeaders</c>: the rate-limit headers of answers.</summary>
    public ResponseHeaderOptions ResponseHeaders { get; }

    /// <summary><c>Sidecar:Storage</c>: where state is kept between processes (the directory resolved to a full path).</summary>
    public StorageOptions Storage { get; }

    /// <summary><c>Sidecar:Storage:Redis</c>: the Redis of <see cref="StorageMode.Redis"/> (its configuration taken from <c>REDIS_URL</c> when empty).</summary>
    public RedisStorageOptions Redis { get; }

    /// <summary>The keys under <c>Sidecar</c> that no section knows, each with the closest known key; the binder ignores them.</summary>
    public IReadOnlyList<UnknownSetting> UnknownKeys { get; }

    /// <summary>Binds every section of <paramref name="configuration"/> and validates it.</summary>
    /// <exception cref="OptionsValidationException">A section has bad settings.</exception>
    /// <exception cref="AggregateException">Several sections have bad settings; each inner exception is an <see cref="OptionsValidationException"/>.</exception>
    public static SidecarSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var services = new ServiceCollection().AddSingleton(configuration);
        AddSidecarSettings(services);
        using var options = services.BuildServiceProvider();

        // What a host runs when it starts, run before anything reads a setting. Each section is bound
        // and validated once: the instances read next are the ones validated here.
        options.GetRequiredService<IStartupValidator>().Validate();
        var settings = new SidecarSettings(options, UnknownSetting.Find(configuration.GetSection(SectionName), KnownKeys));
        if (string.IsNullOrWhiteSpace(settings.Redis.Configuration))
        {
            // envoyproxy/ratelimit's variable, so its deployments keep their environment.
            settings.Redis.Configuration = configuration[ReferenceRedisUrl] ?? string.Empty;
        }

        if (settings.Storage.Mode == StorageMode.Redis && string.IsNullOrWhiteSpace(settings.Redis.Configuration))
        {
            throw new OptionsValidationException(RedisStorageOptions.SectionName, typeof(RedisStorageOptions),
                [$"{RedisStorageOptions.SectionName}:{nameof(RedisStorageOptions.Configuration)} is ''; with Sidecar:Storage:Mode=redis it must name the Redis, such as redis-1:6379,password=... (or set {ReferenceRedisUrl})."]);
        }

        return settings;
    }

    /// <summary>Registers every section's options, each bound from its section and validated on start.</summary>
    private static IServiceCollection AddSidecarSettings(IServiceCollection services)
    {
        foreach (var section in Sections)
        {
            section.AddTo(services);
        }

        return services;
    }

    /// <summary>
    /// The message of every bad setting <paramref name="exception"/> reports (from <see cref="Load"/>),
    /// one per setting; <see langword="null"/> when it is not about settings.
    /// </summary>
    public static IReadOnlyList<string>? FailuresOf(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException { InnerExceptions.Count: > 0 } several when several.InnerExceptions.All(inner => inner is OptionsValidationException)
            => [.. several.InnerExceptions.Cast<OptionsValidationException>().SelectMany(invalid => invalid.Failures)],
        _ => null,
    };

    private static TOptions Get<TOptions>(IServiceProvider options)
        where TOptions : class
        => options.GetRequiredService<IOptionsMonitor<TOptions>>().CurrentValue;

    /// <summary>
    /// Resolves a relative <c>Sidecar:Limits:Directory</c> against the process's current directory,
    /// once, so that the watcher and every reload read the same one.
    /// </summary>
    private static void ResolveDirectory(ConfiguredLimitOptions options) => options.Directory = FullPathOrEmpty(options.Directory);

    /// <summary>Resolves a relative <c>Sidecar:Storage:Directory</c> against the process's current directory, once.</summary>
    private static void ResolveStorageDirectory(StorageOptions options) => options.Directory = FullPathOrEmpty(options.Directory);

    private static string FullPathOrEmpty(string path) => string.IsNullOrWhiteSpace(path) ? string.Empty : Path.GetFullPath(path);
}

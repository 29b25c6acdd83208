using System.Net;
using System.Net.Sockets;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Grpc.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Sidecar.Engine.Policies.Configured;
using Sidecar.Engine.State;
using Sidecar.Host.Balance;
using Sidecar.Host.Diagnostics;
using Sidecar.Host.Limits;
using Sidecar.Host.Logging;
using Sidecar.Host.Metrics;
using Sidecar.Host.RateLimit;
using Sidecar.Host.RateLimit.Codec;
using Sidecar.Host.RateLimit.Responses;
using Sidecar.Host.Settings;
using Sidecar.Storage;
using Sidecar.Storage.Disk;
using Sidecar.Storage.Redis;

namespace Sidecar.Host.Hosting;

/// <summary>
/// One sidecar process: the rate-limit endpoint Envoy calls and, when a token is configured, the
/// balance endpoint the billing system pushes to. The two are separate Kestrel servers sharing one
/// engine, so the money-moving endpoint never shares a port or socket with Envoy's. When
/// <c>Sidecar:Limits:Directory</c> is set, its limits are loaded before either endpoint listens and
/// reloaded whenever the directory changes. The state kept by <c>Sidecar:Storage</c> is restored
/// before either endpoint listens, and written out after both have stopped.
/// </summary>
internal sealed class SidecarServer : IAsyncDisposable
{
    private const string GrpcTimeoutHeader = "grpc-timeout";

    /// <summary>The largest message the balance endpoint reads: a batch of about 10,000 updates; gRPC's default is 4 MiB.</summary>
    private const int BalanceMessageLimit = 1024 * 1024;

    /// <summary>The balance endpoint's service as its health check names it, beside <c>""</c> for the whole endpoint.</summary>
    private const string BalanceHealthService = "sidecar.balance.v1.BalanceService";

    private readonly EngineServices _engine;
    private readonly IStateStore _store;
    private readonly WebApplication _rateLimit;
    private readonly WebApplication? _balance;
    private readonly WebApplication? _http;
    private readonly HostTelemetry _telemetry;
    private readonly LimitConfigWatcher? _limitsWatcher;
    private readonly MemoryLimitReporter _memoryLimits;
    private readonly ILogger _logger;
    private readonly SidecarSettings _settings;

    private SidecarServer(SidecarSettings settings, EngineServices engine, IStateStore store, HostTelemetry telemetry, WebApplication rateLimit, WebApplication? balance, WebApplication? http, LimitConfigWatcher? limitsWatcher, ILogger logger)
    {
        _settings = settings;
        _engine = engine;
        _store = store;
        _telemetry = telemetry;
        _rateLimit = rateLimit;
        _balance = balance;
        _http = http;
        _limitsWatcher = limitsWatcher;
        _logger = logger;
        _memoryLimits = new MemoryLimitReporter(engine.State, engine.TimeProvider, logger);

        // SIGTERM (or Ctrl+C) reaches the rate-limit endpoint's lifetime first: from then on the health checks say draining.
        rateLimit.Lifetime.ApplicationStopping.Register(telemetry.Serving.Drain);
    }

    /// <summary>Addresses the rate-limit endpoint listens on (after <see cref="StartAsync"/>).</summary>
    public IReadOnlyCollection<string> RateLimitAddresses => AddressesOf(_rateLimit);

    /// <summary>Addresses the balance endpoint listens on (after <see cref="StartAsync"/>); empty when it is disabled.</summary>
    public IReadOnlyCollection<string> BalanceAddresses => _balance is null ? [] : AddressesOf(_balance);

    /// <summary>Addresses the metrics and health endpoint listens on (after <see cref="StartAsync"/>); empty when it is disabled.</summary>
    public IReadOnlyCollection<string> HttpAddresses => _http is null ? [] : AddressesOf(_http);

    /// <summary>The limits read from configuration files, with the configuration in force (empty when <c>Sidecar:Limits:Directory</c> is not set).</summary>
    public ConfiguredLimitPolicy Limits => _engine.Limits;

    /// <summary>Where the engine's state is kept between processes.</summary>
    public IStateStore Store => _store;

    /// <summary>The process's lifetime as the rate-limit endpoint has it: SIGTERM stops it, and from then on the health checks say draining.</summary>
    internal IHostApplicationLifetime Lifetime => _rateLimit.Lifetime;

    /// <summary>The accounts and configured counters decisions count on.</summary>
    internal EngineState State => _engine.State;

    /// <summary>What keeps <see cref="Limits"/> in step with its directory; <see langword="null"/> when no directory is configured.</summary>
    public LimitConfigWatcher? LimitsWatcher => _limitsWatcher;

    /// <summary>Builds the sidecar from command-line <paramref name="args"/>, appsettings.json and environment variables.</summary>
    /// <param name="args">Command-line arguments, e.g. <c>--Sidecar:RateLimit:Port=9000</c>.</param>
    /// <param name="timeProvider">
    /// The clock; <see cref="TimeProvider.System"/> unless a test supplies one. It also drives the
    /// checks of the limits directory, so with a clock that does not move, changes are seen only
    /// when it is advanced (or on <see cref="LimitConfigWatcher.CheckNow"/>).
    /// </param>
    /// <exception cref="OptionsValidationException">
    /// A setting is bad (or an <see cref="AggregateException"/> of these, one per section with bad
    /// settings): <see cref="SidecarSettings.FailuresOf"/> gives one line per setting. Keys no section
    /// knows are only logged, as warnings.
    /// </exception>
    /// <exception cref="Engine.Limits.Loading.LimitConfigException">The limits directory does not load; the exception lists every error.</exception>
    /// <exception cref="StorageException">The storage directory is held by another process, or its state cannot be read; the message names the file and what to do.</exception>
    public static SidecarServer Create(string[] args, TimeProvider? timeProvider = null)
    {
        var rateLimitBuilder = CreateBuilder(args);
        var settings = SidecarSettings.Load(rateLimitBuilder.Configuration);
        var engine = new EngineServices(settings.OpenRouter, settings.Accounts, settings.Limits, timeProvider ?? TimeProvider.System);
        IStateStore? store = null;
        WebApplication? rateLimit = null;
        WebApplication? balance = null;
        WebApplication? http = null;
        LimitConfigWatcher? limitsWatcher = null;
        var telemetry = new HostTelemetry(settings.Redis.NotServingWhileDisconnected);
        try
        {
            rateLimit = BuildRateLimitApp(rateLimitBuilder, settings, engine, telemetry);
            var loggers = rateLimit.Services.GetRequiredService<ILoggerFactory>();
            var logger = loggers.CreateLogger("Sidecar");
            foreach (var unknown in settings.UnknownKeys)
            {
                SidecarLog.UnknownSetting(logger, unknown.Key, unknown.Closest);
            }

            store = OpenStore(settings, engine, logger);
            telemetry.Readiness.Redis = store as RedisStateStore;
            balance = BuildBalanceApp(args, settings.Balance, engine, store, telemetry, logger);
            if (engine.Limits.Options.Directory.Length > 0)
            {
                limitsWatcher = new LimitConfigWatcher(engine.Limits, engine.TimeProvider, loggers.CreateLogger<LimitConfigWatcher>());
                limitsWatcher.LoadInitial();
            }

            var openedStore = store;
            var watcher = limitsWatcher;
            telemetry.Observe(new MetricSources(engine.Engine, engine.Policy.Domain, engine.Limits, engine.State, () => openedStore.Statistics, () => watcher,
                telemetry.Calls, telemetry.BalanceUpdates, engine.ProcessingTime));
            http = BuildHttpApp(args, settings.Http, telemetry);
            return new SidecarServer(settings, engine, store, telemetry, rateLimit, balance, http, limitsWatcher, logger);
        }
        catch
        {
            limitsWatcher?.Dispose();
            ((IDisposable?)http)?.Dispose();
            telemetry.Dispose();
            ((IDisposable?)balance)?.Dispose();
            ((IDisposable?)rateLimit)?.Dispose();
            store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            engine.Dispose();
            throw;
        }
    }

    /// <summary>Opens the store <paramref name="settings"/> name and restores its state into the engine, logging what it restored.</summary>
    private static IStateStore OpenStore(SidecarSettings settings, EngineServices engine, ILogger logger)
    {
        var options = settings.Storage;
        if (options.Mode == StorageMode.Memory)
        {
            SidecarLog.StorageInMemory(logger);
            return new MemoryStateStore(engine.Accounts);
        }

        IStateStore store;
        string location;
        if (options.Mode == StorageMode.Redis)
        {
            var redis = new RedisStateStore(engine.State, settings.Redis, warning => SidecarLog.StorageWarning(logger, warning));
            (store, location) = (redis, redis.Location);
        }
        else
        {
            var disk = new DiskStateStore(engine.State, options, engine.TimeProvider, failure => SidecarLog.StorageWriteFailed(logger, failure.Message));
            (store, location) = (disk, disk.Location);
        }

        try
        {
            var recovery = store.Recover();
            foreach (var warning in recovery.Warnings)
            {
                SidecarLog.StorageWarning(logger, warning);
            }

            SidecarLog.StorageRestored(logger, options.Mode.ToString().ToLowerInvariant(), location, recovery.Balances, recovery.Accounts, recovery.LimitCounters, (long)recovery.Elapsed.TotalMilliseconds);
            return store;
        }
        catch
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>
    /// Starts watching the limits directory (when one is configured) and writing state behind the
    /// decisions, warms the decision path (<see cref="DecisionPathWarmup"/>), binds both endpoints, and
    /// only then says where they listen: an endpoint that cannot bind stops the other, and nothing has
    /// announced itself.
    /// </summary>
    /// <exception cref="EndpointBindException">An endpoint cannot listen where its settings say; the message names them.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _limitsWatcher?.Start();
        _store.Start();
        DecisionPathWarmup.RunInProcess(_settings, _engine.Limits.Configuration);
        await BindAsync(_rateLimit, _settings.RateLimit, RateLimitEndpointOptions.SectionName, cancellationToken).ConfigureAwait(false);
        if (_balance is not null)
        {
            try
            {
                await BindAsync(_balance, _settings.Balance, BalanceEndpointOptions.SectionName, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await _rateLimit.StopAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }

        if (_http is not null)
        {
            try
            {
                await BindAsync(_http, _settings.Http, HttpEndpointOptions.SectionName, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                if (_balance is not null)
                {
                    await _balance.StopAsync(CancellationToken.None).ConfigureAwait(false);
                }

                await _rateLimit.StopAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(DecisionPathWarmup.LoopbackTimeout);
            await DecisionPathWarmup.RunOverLoopbackAsync(RateLimitAddresses.First(address => address.StartsWith("http://", StringComparison.Ordinal)), _settings.RateLimit.UnixSocketPath, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or HttpRequestException or InvalidOperationException or IOException or SocketException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Only the first calls are slower without it; the sidecar serves all the same.
            SidecarLog.WarmupSkipped(_logger, ex.Message);
        }

        SidecarLog.RateLimitListening(_logger, string.Join(", ", RateLimitAddresses), _engine.Policy.Domain);
        if (_balance is null)
        {
            SidecarLog.BalanceDisabled(_logger);
        }
        else
        {
            SidecarLog.BalanceListening(_logger, string.Join(", ", BalanceAddresses));
        }

        if (_http is not null)
        {
            SidecarLog.HttpListening(_logger, string.Join(", ", HttpAddresses));
        }

        _telemetry.Serving.Serve();
    }

    /// <summary>Runs until the process is asked to stop (Ctrl+C, SIGTERM), then stops; after <see cref="StartAsync"/>.</summary>
    public async Task WaitForShutdownAsync()
    {
        await _rateLimit.WaitForShutdownAsync().ConfigureAwait(false);
        await StopAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Reports draining to the health checks, stops both gRPC endpoints, letting calls in flight finish,
    /// writes out the state they left, and stops the metrics and health endpoint last.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _telemetry.Serving.Drain();
        if (_balance is not null)
        {
            await _balance.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        await _rateLimit.StopAsync(cancellationToken).ConfigureAwait(false);
        await _store.StopAsync().ConfigureAwait(false);
        if (_http is not null)
        {
            await _http.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _limitsWatcher?.Dispose();
        _memoryLimits.Dispose();
        if (_balance is not null)
        {
            await _balance.DisposeAsync().ConfigureAwait(false);
        }

        await _rateLimit.DisposeAsync().ConfigureAwait(false);
        if (_http is not null)
        {
            await _http.DisposeAsync().ConfigureAwait(false);
        }

        _telemetry.Dispose();
        await _store.DisposeAsync().ConfigureAwait(false);
        _engine.Dispose();
    }

    private static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        // The console with every formatter (the slim builder's has the simple one only), so that
        // Logging:Console:FormatterName, and the reference's LOG_FORMAT, choose it.
        ReferenceEnvironment.Apply(builder.Configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();

        // Bound last: the slim builder's own console setup names the simple formatter after the binding.
        var formatter = builder.Configuration["Logging:Console:FormatterName"];
        if (formatter is { Length: > 0 })
        {
            builder.Services.Configure<ConsoleLoggerOptions>(console => console.FormatterName = formatter);
        }
        return builder;
    }

    private static WebApplication BuildRateLimitApp(WebApplicationBuilder builder, SidecarSettings settings, EngineServices engine, HostTelemetry telemetry)
    {
        var endpoint = settings.RateLimit;
        builder.WebHost.ConfigureKestrel(kestrel => Listen(kestrel, endpoint));
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = endpoint.InlineScheduling);
        var services = builder.Services;
        services.Configure<RouteOptions>(routes => routes.SuppressCheckForUnhandledSecurityMetadata = true);
        services.AddGrpc(grpc =>
        {
            grpc.IgnoreUnknownServices = true;
            grpc.MaxReceiveMessageSize = RequestLimits.MaxMessageBytes;
        });
        services.AddSingleton(engine.Engine);
        services.AddSingleton(engine.ProcessingTime);
        services.AddSingleton(telemetry.Calls);
        services.AddSingleton(new RateLimitResponseWriter(new OpenRouterErrorBody(engine.OpenRouterOptions), settings.ResponseHeaders,
            endpoint.ShadowMode ? telemetry.Calls : null));
        services.AddSingleton(provider => new RateLimitGrpcService(engine.Engine, provider.GetRequiredService<RateLimitResponseWriter>(), engine.ProcessingTime, settings.Redis.GrantTimeout));
        services.AddSingleton<DiagnosticsGrpcService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<RateLimitGrpcService>, RateLimitMethodProvider>());
        services.AddGrpcHealthChecks(health =>
        {
            health.Services.Map(string.Empty, _ => true);
            health.Services.Map("ratelimit", _ => true);
        }).AddCheck("engine", telemetry.Readiness.Check);

        // Reflection lists the services explicitly: the rate-limit service is bound by hand, not by
        // the generated binder that reflection would otherwise discover.
        var descriptors = new[]
        {
            Envoy.Service.Ratelimit.V3.RateLimitService.Descriptor,
            Sidecar.Diagnostics.V1.DiagnosticsService.Descriptor,
            Grpc.Health.V1.Health.Descriptor,
        };
        services.AddSingleton(new ReflectionServiceImpl(descriptors));
        services.AddSingleton(new ReflectionV1ServiceImpl(descriptors));

        var app = builder.Build();
        UseRootServices(app, honorClientDeadlines: endpoint.HonorClientDeadlines);
        app.MapGrpcService<RateLimitGrpcService>();
        app.MapGrpcService<DiagnosticsGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcService<ReflectionServiceImpl>();
        app.MapGrpcService<ReflectionV1ServiceImpl>();
        return app;
    }

    /// <summary>Builds the balance endpoint over <paramref name="engine"/>; <see langword="null"/> when no token is configured.</summary>
    private static WebApplication? BuildBalanceApp(string[] args, BalanceEndpointOptions endpoint, EngineServices engine, IStateStore store, HostTelemetry telemetry, ILogger logger)
    {
        if (!endpoint.TryResolveTokens(out var tokens, out var problem))
        {
            // Read when validated a moment ago; gone or emptied since.
            var message = new BalanceEndpointOptionsValidator().TokenFileProblem(endpoint, problem);
            throw new OptionsValidationException(Options.DefaultName, typeof(BalanceEndpointOptions), [message]);
        }

        if (tokens.Count == 0)
        {
            return null;
        }

        var tls = OpenTls(endpoint, engine.TimeProvider, logger);
        var builder = CreateBuilder(args);
        builder.WebHost.ConfigureKestrel(kestrel => Listen(kestrel, endpoint, tls));
        var services = builder.Services;

        // One process, one start-up banner: the rate-limit endpoint's host prints it.
        services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = BalanceMessageLimit);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<BalanceGrpcService>, BalanceMethodProvider>());
        services.AddSingleton(store);
        services.AddSingleton(engine.Accounts);
        services.AddSingleton(engine.Policy);
        services.AddSingleton(engine.TimeProvider);
        services.AddSingleton(telemetry.BalanceUpdates);
        services.AddSingleton(provider => new BearerTokenAuthenticator(
            new BearerTokenSource(endpoint, tokens, engine.TimeProvider, provider.GetRequiredService<ILogger<BearerTokenSource>>()),
            endpoint.OperatorToken,
            engine.TimeProvider,
            provider.GetRequiredService<ILogger<BearerTokenAuthenticator>>()));
        services.AddSingleton<BalanceGrpcService>();

        // grpc.health.v1 for the billing system's and the orchestrator's probes, without a token.
        services.AddGrpcHealthChecks(health =>
        {
            health.Services.Map(string.Empty, _ => true);
            health.Services.Map(BalanceHealthService, _ => true);
        }).AddCheck("updates", telemetry.Readiness.CheckUpdates);
        var app = builder.Build();
        app.UseMiddleware<BalanceAuthenticationMiddleware>();
        app.MapGrpcService<BalanceGrpcService>();
        app.MapGrpcHealthChecksService();
        return app;
    }

    /// <summary>Builds the HTTP/1.1 endpoint of metrics and health (<see cref="HttpEndpoint"/>); <see langword="null"/> when it is disabled.</summary>
    private static WebApplication? BuildHttpApp(string[] args, HttpEndpointOptions endpoint, HostTelemetry telemetry)
    {
        if (!endpoint.Enabled)
        {
            return null;
        }

        var builder = CreateBuilder(args);
        builder.WebHost.ConfigureKestrel(kestrel => Listen(kestrel, endpoint, HttpProtocols.Http1));
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        var app = builder.Build();
        HttpEndpoint.Map(app, telemetry.Metrics, telemetry.Serving, telemetry.Readiness);
        return app;
    }

    /// <summary>Starts <paramref name="app"/>, turning a failure to bind into one message naming the settings of <paramref name="section"/>.</summary>
    private static async Task BindAsync(WebApplication app, EndpointOptions endpoint, string section, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // Kestrel's message names the address ("Failed to bind to address http://127.0.0.1:8081: address already in use.").
            var onSocket = !string.IsNullOrEmpty(endpoint.UnixSocketPath) && ex.Message.Contains(endpoint.UnixSocketPath, StringComparison.Ordinal);
            var where = onSocket
                ? $"{section}:UnixSocketPath '{endpoint.UnixSocketPath}'"
                : $"{section}:Address/Port {endpoint.Address}:{endpoint.Port}";
            throw new EndpointBindException($"{where} cannot be listened on: {ex.Message.TrimEnd('.')}. Choose another, or stop what holds it.", ex);
        }
    }

    /// <summary>
    /// Listens where <paramref name="endpoint"/> says: gRPC over HTTP/2 without TLS (h2c, prior
    /// knowledge), as Envoy and the billing system speak it, or over TLS with <paramref name="tls"/>.
    /// </summary>
    private static void Listen(KestrelServerOptions kestrel, EndpointOptions endpoint, TlsCertificateSource? tls = null)
        => Listen(kestrel, endpoint, HttpProtocols.Http2, tls);

    private static void Listen(KestrelServerOptions kestrel, EndpointOptions endpoint, HttpProtocols protocols, TlsCertificateSource? tls = null)
    {
        void Configure(ListenOptions listen)
        {
            listen.Protocols = protocols;
            if (tls is not null)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificateSelector = (_, _) => tls.Current;
                    if (tls.RequiresClientCertificate)
                    {
                        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                        https.ClientCertificateValidation = (certificate, _, _) => tls.IsTrustedClient(certificate);
                    }
                });
            }
        }

        kestrel.Listen(IPAddress.Parse(endpoint.Address), endpoint.Port, Configure);
        if (!string.IsNullOrEmpty(endpoint.UnixSocketPath))
        {
            DeleteStaleSocket(endpoint.UnixSocketPath);
            kestrel.ListenUnixSocket(endpoint.UnixSocketPath, Configure);
        }
    }

    /// <summary>The balance endpoint's certificate, when it serves TLS; a file that does not load stops the start naming the setting.</summary>
    private static TlsCertificateSource? OpenTls(BalanceEndpointOptions endpoint, TimeProvider timeProvider, ILogger logger)
    {
        if (!endpoint.Tls)
        {
            return null;
        }

        try
        {
            return TlsCertificateSource.Open(endpoint.TlsCertificateFile!, endpoint.TlsKeyFile!, endpoint.TlsClientCaFile, timeProvider, logger);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            var message = SettingMessages.Problem($"{BalanceEndpointOptions.SectionName}:{nameof(BalanceEndpointOptions.TlsCertificateFile)}", endpoint.TlsCertificateFile!,
                $"a readable PEM certificate whose key is {BalanceEndpointOptions.SectionName}:{nameof(BalanceEndpointOptions.TlsKeyFile)}, and {nameof(BalanceEndpointOptions.TlsClientCaFile)} a PEM authority ({ex.Message.TrimEnd('.')})");
            throw new OptionsValidationException(Options.DefaultName, typeof(BalanceEndpointOptions), [message]);
        }
    }

    private static void DeleteStaleSocket(string path)
    {
        // A socket file left by a previous run would make the bind fail.
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Serves every request from the root service provider: nothing on these paths is scoped, so no
    /// per-request scope is created. Unless deadlines are honoured, drops <c>grpc-timeout</c> so
    /// that grpc-dotnet starts no deadline timer (see <see cref="RateLimitEndpointOptions.HonorClientDeadlines"/>).
    /// </summary>
    private static void UseRootServices(WebApplication app, bool honorClientDeadlines)
    {
        var root = app.Services;
        app.Use((context, next) =>
        {
            context.RequestServices = root;
            if (!honorClientDeadlines)
            {
                context.Request.Headers.Remove(GrpcTimeoutHeader);
            }

            return next(context);
        });
    }

    private static string[] AddressesOf(WebApplication app)
        => app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.ToArray();
}

using Gateway.Api.Alerts;
using Gateway.Api.Auth;
using Gateway.Api.Chat;
using Gateway.Api.Endpoints;
using Gateway.Api.Http;
using Gateway.Api.Observability;
using Gateway.Api.Reports;
using Gateway.Api.Rollups;
using Gateway.Core.Alerts;
using Gateway.Core.Configuration;
using Gateway.Core.Governance;
using Gateway.Core.Pricing;
using Gateway.Core.Providers;
using Gateway.Core.Routing;
using Gateway.Core.Rollups;
using Gateway.Core.Routing.Policies;
using Gateway.Core.Storage;
using Gateway.Providers;
using Gateway.Providers.Http;
using Gateway.Storage;

namespace Gateway.Api.Hosting;

/// <summary>
/// Composes the one host every route shares: config, providers, store, pipeline. An ordinary Kestrel app,
/// so the same binary runs locally and on Lambda behind the Web Adapter with no Lambda code in the request path.
/// </summary>
public static class GatewayApp
{
    public static WebApplication Create(GatewayHostOptions options)
    {
        var time = TimeProvider.System;
        var http = UpstreamHttp.CreateClient();
        var providers = new ProviderCatalog(http, time);
        var (config, secrets) = ConfigSource.Load(options, providers.Prefixes);
        var role = GatewayRoles.Parse(options.Environment(GatewayRoles.Variable));

        var builder = WebApplication.CreateSlimBuilder(options.Args);
        builder.WebHost.UseUrls(options.Urls ?? GatewayHostOptions.DefaultUrl);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = config.MaxRequestBytes;
            k.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
        });
        GatewayLogging.Configure(builder.Logging);
        options.ConfigureLogging?.Invoke(builder.Logging);

        var stores = StoreFactory.Open(config.Store with { DataDir = options.DataDir ?? config.Store.DataDir }, time);
        stores = options.DecorateStores?.Invoke(stores) ?? stores;

        var registry = new ModelRegistry(config.Deployments);
        var services = builder.Services;
        services.AddSingleton(config);
        services.AddSingleton(time);
        services.AddSingleton(http);
        services.AddSingleton<IProviderCatalog>(providers);
        services.AddSingleton(registry);
        services.AddSingleton(stores);
        services.AddSingleton(stores.Usage);
        services.AddSingleton(stores.Meters);
        services.AddSingleton(stores.Cache);
        services.AddSingleton(stores.Keys);
        services.AddSingleton(stores.Teams);
        services.AddSingleton(stores.Customers);
        services.AddSingleton(stores.Rollups);
        services.AddSingleton(stores.Health);
        services.AddSingleton<CallerAuthenticator>();
        var costs = new CostCalculator(PriceCatalog.Default);
        services.AddSingleton(costs);
        services.AddSingleton(new RequestCostEstimator(registry, config.Router, costs));
        services.AddSingleton(new GovernanceService(stores.Meters, time, config.Store.FailOpen));
        services.AddSingleton<RequestGate>();
        services.AddSingleton<Admin.AdminRules>();
        var picker = new DeploymentPicker(registry, RoutingPolicies.Create(config.Router, d => costs.PriceOf(d) is { } p ? p.Input + p.Output : null, Random.Shared), time);
        services.AddSingleton(picker);
        services.AddSingleton(new RequestRouter(registry, picker, config.Router));
        services.AddSingleton(new ContextWindowCheck(PriceCatalog.Default));
        services.AddSingleton<ChatDispatcher>();
        services.AddSingleton(new EmbeddedMetrics(options.Environment("GATEWAY_METRICS") == "emf", Console.Out));
        services.AddSingleton<UsageRecorder>();
        services.AddSingleton<ResponseCache>();
        services.AddSingleton<ModelsResponse>();
        if (config.RefreshableSecrets.Count > 0)
            services.AddHostedService(sp => new SecretRefresher(config, secrets, sp.GetRequiredService<ILogger<SecretRefresher>>()));
        AddRollups(services, config, role, http);

        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            http.Dispose();
            stores.Owner.DisposeAsync().AsTask().GetAwaiter().GetResult();
        });
        StartupReport.Log(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Startup"), config, stores.Description);

        app.UseMiddleware<RequestContextMiddleware>();
        if (role == GatewayRole.Rollup)
            app.MapRollupFunction();
        else
            app.MapGatewayEndpoints();
        return app;
    }

    /// <summary>Rollups, reports and alerts. The timer runs only in a local host (role <c>all</c>) with an interval set.</summary>
    private static void AddRollups(IServiceCollection services, GatewayConfig config, GatewayRole role, HttpClient http)
    {
        services.AddSingleton(sp => new RollupJob(sp.GetRequiredService<IUsageStore>(), sp.GetRequiredService<IRollupStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<BudgetOverview>();
        services.AddSingleton<RollupService>();
        var sinks = new List<IAlertSink>();
        if (config.Alerts.WebhookUrl is { } webhook)
            sinks.Add(new WebhookAlertSink(http, new Uri(webhook)));
        if (config.Alerts.SnsTopicArn is { } topic)
            sinks.Add(new SnsAlertSink(topic, config.Alerts.SnsEndpoint));
        services.AddSingleton(sp => new AlertNotifier(sinks, sp.GetRequiredService<IMeterStore>(), sp.GetRequiredService<ILogger<AlertNotifier>>()));
        services.AddSingleton<BudgetAlertTrigger>();
        if (role == GatewayRole.All && config.RollupInterval > TimeSpan.Zero)
            services.AddHostedService<RollupTimer>();
    }
}

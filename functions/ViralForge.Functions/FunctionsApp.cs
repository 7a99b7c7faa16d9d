using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using ViralForge.Adapters;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Postgres;
using ViralForge.Adapters.YouTube;
using ViralForge.Adapters.Webhooks;
using ViralForge.Core;
using ViralForge.Functions.Addon;
using ViralForge.Functions.Api;
using ViralForge.Functions.Auth;
using ViralForge.Functions.Webhooks;
using ViralForge.Functions.Dashboard;
using ViralForge.ServiceDefaults;

namespace ViralForge.Functions;

/// <summary>Builds the functions host: settings, the core, the adapters for the profile, and the endpoints.</summary>
public static class FunctionsApp
{
    /// <summary>Environment variable naming the one stage a production deployment serves.</summary>
    public const string FunctionTargetVariable = "FUNCTION_TARGET";

    /// <summary>Command-line flag: apply the sql/ migrations and exit, without serving (the deploy runs it before the services roll out).</summary>
    public const string MigrateOnlyFlag = "--migrate-only";

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? mapMore = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var configuration = builder.Configuration;
        var section = configuration.GetSection(ViralForgeOptions.SectionName);

        var databaseUrl = configuration[PostgresConnection.EnvironmentVariable] ?? section["DatabaseUrl"]
            ?? throw new ViralForgeSettingsException(
                $"No database: set {PostgresConnection.EnvironmentVariable} (./vf starts a private PostgreSQL and sets it for you).");
        var profile = ViralForgeProfiles.Read(configuration);
        builder.AddViralForgeDefaults();
        builder.Services
            .AddViralForgeCore(configuration)
            .AddPostgresStore(databaseUrl)
            .AddHostedService<MigrationService>()
            .AddProfileAdapters(profile, configuration)
            .AddProviderReport(configuration)
            .AddWebhooks(profile, configuration);
        if (profile == ViralForgeProfile.Local)
        {
            // Cloud Tasks delivers in production; locally this host's dispatcher delivers the PostgreSQL queue's tasks to itself.
            builder.Services.AddLocalTaskQueue(LocalTaskToken(configuration)).AddLocalReconcile().AddLocalTrendsRefresh();
        }

        // Who may call the endpoints: the local dispatcher's bearer token, or Google-signed Cloud Tasks OIDC tokens.
        var inboundAuth = section["InboundAuth"] ?? (profile == ViralForgeProfile.Gcp ? "google-oidc" : "local");
        switch (inboundAuth)
        {
            case "local" when profile == ViralForgeProfile.Local:
                builder.Services.AddSingleton<IInboundAuthenticator>(sp => new LocalBearerAuthenticator(sp.GetRequiredService<LocalQueueTarget>().BearerToken));
                break;
            case "google-oidc":
                builder.Services.AddGoogleOidcAuthentication(configuration);
                break;
            default:
                throw new ViralForgeSettingsException(
                    $"ViralForge:InboundAuth '{inboundAuth}' is not available with profile '{profile.ToString().ToLowerInvariant()}'; use 'google-oidc' (or 'local' with the local profile).");
        }

        // The Sheets add-on's backend; its endpoints are served only when Addon:OAuthClientId is set.
        builder.Services.AddAddon(configuration);
        // The public Jobs API (/v1, docs/API.md): API keys or the add-on's Google sign-in.
        builder.Services.AddJobsApi(configuration);
        // The admin dashboard at / (docs/DASHBOARD.md): this machine only locally, Google sign-in in production.
        builder.Services.AddDashboard(configuration);

        var app = builder.Build();
        if (profile == ViralForgeProfile.Local)
        {
            app.Lifetime.ApplicationStarted.Register(() => PublishAddress(app));
        }

        app.MapGet("/healthz", () => Results.Text("ok"));
        var stages = StagesToServe(configuration[FunctionTargetVariable]);
        app.MapStageEndpoints(stages);
        // The review queues go to the review stage's service, so whatever host serves review serves its tasks too.
        if (stages.Contains(Core.Jobs.StageName.Review))
        {
            app.MapReviewTaskEndpoints();
        }
        // The analytics reads (vf-publish-metrics) go to the publish stage's service, which scheduled them.
        if (stages.Contains(Core.Jobs.StageName.Publish))
        {
            app.MapMetricsEndpoint();
        }
        // The vf-reconcile scheduler job calls the first stage's service, which every deployment has.
        if (stages.Contains(Core.Jobs.StageName.Trends))
        {
            app.MapReconcileEndpoint();
            app.MapTrendsRefreshEndpoint();
            // vf-webhooks goes to the first stage's service too (Google:Tasks:ServiceUrls:webhooks in cloudbuild.yaml).
            app.MapWebhookDeliveryEndpoint();
        }
        app.MapJobEndpoints();
        app.MapAddonEndpoints();
        // The webhook subscriptions are managed on the /v1 group, behind its keys, scopes and rate limit.
        WebhookEndpoints.MapWebhookEndpoints(app.MapJobsApi());
        app.MapDashboard();
        mapMore?.Invoke(app);
        return app;
    }

    /// <summary>
    /// What <see cref="MigrateOnlyFlag"/> runs: the host's own start-up migration (settings validated first), without
    /// starting the server or any other hosted service. Needs only the database, so the deploy's migration job carries
    /// no Google settings. Returns the migrations applied now.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        await using var app = Create(args, configure);
        _ = app.Services.GetRequiredService<IOptions<ViralForgeOptions>>().Value;
        return await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
    }

    /// <summary>FUNCTION_TARGET for the service the Sheets add-on calls: no stage endpoint, only the add-on's and job status.</summary>
    public const string AddonTarget = "addon";

    /// <summary>The stages this deployment serves: all of them, the one FUNCTION_TARGET names, or none for the add-on's service.</summary>
    public static IReadOnlyList<Core.Jobs.StageName> StagesToServe(string? functionTarget)
    {
        if (string.IsNullOrWhiteSpace(functionTarget))
        {
            return Core.Jobs.StageOrder.InOrder;
        }
        if (functionTarget == AddonTarget)
        {
            return [];
        }
        return Core.Jobs.StageOrder.TryParse(functionTarget, out var stage)
            ? [stage]
            : throw new InvalidOperationException(
                $"{FunctionTargetVariable}='{functionTarget}' is not a stage; use one of {string.Join(", ", Core.Jobs.StageOrder.InOrder.Select(s => s.ToString().ToLowerInvariant()))}, or {AddonTarget} for the add-on's service.");
    }

    /// <summary>The local dispatcher and this host share a secret; VF_LOCAL_TASK_TOKEN fixes it, otherwise each start draws a new one.</summary>
    private static string LocalTaskToken(IConfiguration configuration) =>
        configuration["VF_LOCAL_TASK_TOKEN"] is { Length: >= 32 } token
            ? token
            : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static void PublishAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var first = addresses.FirstOrDefault() ?? throw new InvalidOperationException("The host listens on no address.");
        var uri = new UriBuilder(first);
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
        {
            uri.Host = "127.0.0.1";
        }
        app.Services.GetRequiredService<LocalQueueTarget>().SetBaseAddress(uri.Uri);
    }
}

/// <summary>Applies the schema before anything else starts (hosted services start in registration order).</summary>
internal sealed class MigrationService(SchemaMigrator migrator, IOptions<ViralForgeOptions> options, ILogger<MigrationService> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = options.Value; // validate settings first, so a bad one is reported before the database is touched
        var applied = await migrator.MigrateAsync(cancellationToken);
        if (applied.Count > 0)
        {
            log.LogInformation("Applied migrations {Migrations}", string.Join(", ", applied));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions;

/// <summary>
/// POST /reconcile: one reconcile pass (<see cref="Reconciler"/>), for the vf-reconcile Cloud Scheduler job in
/// production. Behind the same inbound auth as the stage endpoints, so only the invoker account's OIDC token reaches it.
/// </summary>
public static class ReconcileEndpoints
{
    public const string Path = "/reconcile";

    public static void MapReconcileEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (Reconciler reconciler, CancellationToken cancellationToken) =>
                Results.Json(await reconciler.RunOnceAsync(cancellationToken), ReconcileJson.Default.ReconcileReport))
            .AddEndpointFilter<AuthenticateCaller>()
            .WithName("reconcile");
    }

    /// <summary>
    /// Where the local queue runs: reconcile every <c>Reconcile:Interval</c>, and let the dispatcher tell the reconciler
    /// when it gives up on a task, so that job fails at once.
    /// </summary>
    public static IServiceCollection AddLocalReconcile(this IServiceCollection services)
    {
        services.AddSingleton<IDeadTaskObserver>(sp => sp.GetRequiredService<Reconciler>());
        services.AddHostedService<ReconcileService>();
        return services;
    }
}

/// <summary>Reconciles every <c>Reconcile:Interval</c> in the process that runs the local queue's dispatcher.</summary>
internal sealed class ReconcileService(Reconciler reconciler, IOptions<ViralForgeOptions> options, TimeProvider time, ILogger<ReconcileService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Queue.RunDispatcher)
        {
            return; // another process delivers the queue's tasks, and reconciles with it
        }
        // The first pass runs at once: a restart after kill -9 is exactly when jobs are stuck.
        using var timer = new PeriodicTimer(settings.Reconcile.Interval, time);
        try
        {
            do
            {
                try
                {
                    await reconciler.RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database away for a moment: the next tick tries again.
                    log.ReconcilePassFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}

/// <summary>The reconcile step's log messages (event ids 4200-4219).</summary>
internal static partial class ReconcileLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning, Message = "A reconcile pass failed; the next one tries again")]
    public static partial void ReconcilePassFailed(this ILogger logger, Exception exception);
}

/// <summary>Source-generated JSON of the reconcile answer.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReconcileReport))]
internal sealed partial class ReconcileJson : JsonSerializerContext;

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.YouTube;

/// <summary>What one refresh pass did.</summary>
/// <param name="Stopped">Why the pass stopped early (the quota), or null.</param>
public sealed record TrendRefreshReport(int Charts, int Taken, int Reused, int Failed, int Units, int Pruned, string? Stopped = null);

/// <summary>
/// Keeps the configured regions' and categories' charts warm, so that no job waits on a chart read: a chart is taken
/// again when it would be older than YouTube:TrendSnapshotMaxAge before the next pass. Runs every
/// YouTube:TrendRefreshInterval in <c>vf serve</c> (<see cref="YouTubeTrendsRefreshService"/>) and from Cloud Scheduler's
/// vf-trends-refresh job in production (POST /trends/refresh). Its quota units go to the ledger under the empty job id.
/// </summary>
public sealed class YouTubeTrendsRefresher(
    YouTubeTrendsClient client,
    ITrendSnapshots snapshots,
    IOptions<YouTubeTrendsOptions> options,
    TimeProvider time,
    ILogger<YouTubeTrendsRefresher>? log = null)
{
    /// <summary>The ledger work of the refresh's reads: no job, so the empty id.</summary>
    public static readonly PaidWork Work = new(Guid.Empty, StageName.Trends, 1, "trends-refresh");

    /// <summary>How long superseded snapshots are kept.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(7);

    private readonly ILogger log = log ?? NullLogger<YouTubeTrendsRefresher>.Instance;

    public async Task<TrendRefreshReport> RefreshOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var age = settings.TrendSnapshotMaxAge - settings.TrendRefreshInterval;
        int charts = 0, taken = 0, reused = 0, failed = 0, units = 0;
        string? stopped = null;
        foreach (var region in settings.Regions)
        {
            foreach (var category in settings.Categories)
            {
                var key = TrendSnapshotKey.ForChart(region, category);
                charts++;
                try
                {
                    var snapshot = await snapshots.GetOrTakeAsync(key, age, ct => client.MostPopularAsync(region, category, Work, ct), cancellationToken);
                    if (snapshot.TakenNow)
                    {
                        taken++;
                        units += snapshot.Units;
                        log.SnapshotTaken(key.ToString(), snapshot.Videos.Count, snapshot.Units);
                    }
                    else
                    {
                        reused++;
                    }
                }
                catch (YouTubeTrendsQuotaException e)
                {
                    // Every other chart would be refused too: stop, the stored ones serve until the quota resets.
                    failed++;
                    stopped = e.Message;
                    break;
                }
                catch (Exception e) when (e is PermanentStageException or TransientStageException or InvalidDataException or HttpRequestException)
                {
                    failed++;
                    log.RefreshChartFailed(key.ToString(), e.Message);
                }
            }
            if (stopped is not null)
            {
                break;
            }
        }
        var pruned = await snapshots.PruneAsync(time.GetUtcNow() - KeepFor, cancellationToken);
        log.RefreshDone(charts, taken, units, reused, failed);
        return new TrendRefreshReport(charts, taken, reused, failed, units, pruned, stopped);
    }
}

/// <summary>Refreshes the trends every YouTube:TrendRefreshInterval in the process that runs the local queue (<c>vf serve</c>).</summary>
public sealed class YouTubeTrendsRefreshService(
    IServiceProvider services, TimeProvider time, ILogger<YouTubeTrendsRefreshService>? log = null) : BackgroundService
{
    private readonly ILogger log = log ?? NullLogger<YouTubeTrendsRefreshService>.Instance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Registered with the local queue whatever the settings; without YouTube:ApiKey the offline sample needs no refresh.
        if (services.GetService(typeof(YouTubeTrendsRefresher)) is not YouTubeTrendsRefresher refresher)
        {
            return;
        }
        var interval = ((IOptions<YouTubeTrendsOptions>)services.GetService(typeof(IOptions<YouTubeTrendsOptions>))!).Value.TrendRefreshInterval;
        // The first pass runs at once, so a fresh start has warm charts before its first job.
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                try
                {
                    await refresher.RefreshOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database away for a moment: the next tick tries again.
                    log.RefreshPassFailed(ex);
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

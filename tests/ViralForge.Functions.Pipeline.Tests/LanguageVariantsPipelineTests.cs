using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Testing;

namespace ViralForge.Functions.Tests;

/// <summary>
/// Issue 15 item 6 through the real host (offline profile, queue, PostgreSQL, espeak-ng, FFmpeg): one row with
/// Languages "en, es" makes two published videos that share one trends call and one analysis run, and the row shows
/// both: the English job in the row's own cells, the Spanish one in Job ID (es), Status (es) and Video (es).
/// </summary>
public sealed class LanguageVariantsPipelineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(6);

    private const string OneRowTwoLanguages = """
        Topic,Platform,Duration,Languages,Notes
        Three stretches for desk workers,youtube,12,"en, es",Keep it simple.
        """;

    /// <summary>The offline trends provider, counting its calls.</summary>
    private sealed class CountingTrends(ITrendsProvider inner) : ITrendsProvider
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<TrendSample> GetTrendingAsync(TrendQuery query, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return inner.GetTrendingAsync(query, cancellationToken);
        }
    }

    [Fact]
    public async Task A_row_in_english_and_spanish_makes_two_videos_from_one_trends_call_and_one_analysis()
    {
        var trends = new CountingTrends(new Adapters.Local.SampleTrendsProvider());
        await using var host = await TestHost.StartAsync(replace: services => services.AddSingleton<ITrendsProvider>(trends));
        var path = host.WriteSheet(OneRowTwoLanguages);
        var sheet = host.Get<ISheetRegistry>().Open(path);

        var intake = Assert.Single(await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None));
        var (en, es) = (intake.JobId!.Value, Assert.Single(intake.LanguageJobIds!));
        var jobs = await host.WaitForJobsAsync([en, es], j => j.IsTerminal, Patience);

        Assert.All(jobs, j => Assert.True(j.Status == JobStatus.Published, $"{j.Request.Language}: {j.Status} ({j.Error})"));
        Assert.Equal(["en", "es"], jobs.Select(j => j.Request.Language));
        Assert.Equal(1, trends.Calls);

        var store = host.Get<IJobStore>();
        foreach (var stage in new[] { StageName.Trends, StageName.Analysis })
        {
            var mine = await store.GetLatestCompletedAsync(en, stage, 1, CancellationToken.None);
            var shared = await store.GetLatestCompletedAsync(es, stage, 1, CancellationToken.None);
            Assert.Equal(JsonSerializer.Serialize(mine!.Output), JsonSerializer.Serialize(shared!.Output));
            Assert.Contains(await store.ListEventsAsync(es, CancellationToken.None), e => e.Kind == "completed" && e.Stage == stage
                && e.Message == $"the en job {en}'s {stage.Wire()} output, shared by the row's languages (not run again)");
        }
        Assert.NotEmpty(StageJson.FromElement<TrendSample>((await store.GetLatestCompletedAsync(es, StageName.Trends, 1, CancellationToken.None))!.Output!.Value).Videos);

        // Each language has its own script and video.
        var scripts = new List<VideoScript>();
        foreach (var id in new[] { en, es })
        {
            scripts.Add(StageJson.FromElement<VideoScript>((await store.GetLatestCompletedAsync(id, StageName.Script, 1, CancellationToken.None))!.Output!.Value));
        }
        Assert.NotEqual(scripts[0].NarrationText, scripts[1].NarrationText);

        // The row: the first job's cells, then the Spanish job's own, written after publish by the same delivery.
        var row = (await sheet.ReadRowsAsync(CancellationToken.None))[0];
        for (var waited = System.Diagnostics.Stopwatch.StartNew();
             waited.Elapsed < TimeSpan.FromSeconds(30) && (row.Get(SheetContract.Status), row.Get("Status (es)")) != ("published", "published");
             row = (await sheet.ReadRowsAsync(CancellationToken.None))[0])
        {
            await Task.Delay(100);
        }
        Assert.Equal((en.ToString(), "published"), (row.JobId, row.Get(SheetContract.Status)));
        Assert.Equal((es.ToString(), "published", ""), (row.Get("Job ID (es)"), row.Get("Status (es)"), row.Get("Error (es)")));
        foreach (var video in new[] { row.Get(SheetContract.Video), row.Get("Video (es)") })
        {
            Assert.True(File.Exists(video), $"the Video cell '{video}' is not a file");
            Assert.InRange((await FfprobeResult.RunAsync(video)).DurationSeconds, 5, 30);
        }
        Assert.NotEqual(row.Get(SheetContract.Video), row.Get("Video (es)"));
        Assert.Equal(("Three stretches for desk workers", "en, es", "Keep it simple."), (row.Get(SheetContract.Topic), row.Get(SheetContract.Languages), row.Get(SheetContract.Notes)));
        var header = (await File.ReadAllLinesAsync(path))[0];
        Assert.EndsWith(",Job ID (es),Status (es),Video (es),Error (es)", header, StringComparison.Ordinal);
    }
}

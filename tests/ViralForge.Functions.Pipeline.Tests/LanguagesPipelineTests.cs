using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Testing;
using Xunit.Abstractions;

namespace ViralForge.Functions.Tests;

/// <summary>
/// Issue 18's sheet as a new user tried it: one topic the bundled trends do not cover, in English, Spanish and Japanese,
/// 30 s each, through the real host, queue, PostgreSQL, espeak-ng (with kakasi) and FFmpeg.
/// </summary>
public sealed class LanguagesPipelineTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(6);

    private const string ThreeLanguages = """
        Topic,Platform,Duration,Language
        Houseplant care for beginners,youtube,30,en
        Cuidado de plantas de interior,youtube,30,es
        観葉植物の育て方,youtube,30,ja
        """;

    [Fact]
    public async Task An_english_spanish_and_japanese_sheet_runs_offline_with_each_video_within_15_percent_of_its_duration_and_no_borrowed_niche()
    {
        await using var host = await TestHost.StartAsync();
        var sheet = host.Get<ISheetRegistry>().Open(host.WriteSheet(ThreeLanguages));

        var intake = await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None);
        var ids = intake.Where(r => r.JobId is not null).Select(r => r.JobId!.Value).ToList();
        var jobs = await host.WaitForJobsAsync(ids, j => j.IsTerminal, Patience);

        Assert.Equal(3, ids.Count);
        var store = host.Get<IJobStore>();
        var niches = new Adapters.Local.SampleTrendsProvider().Niches;
        foreach (var job in jobs)
        {
            var language = job.Request.Language;
            Assert.True(job.Status == JobStatus.Published, $"{language}: {job.Status} ({job.Error})");

            var events = await store.ListEventsAsync(job.Id, CancellationToken.None);
            Assert.Contains(events, e => e.Stage == StageName.Trends && e.Kind == "completed" && e.Message.StartsWith(TrendsStage.NoTrendsForThisNiche, StringComparison.Ordinal));
            // Information for the events, not a shortfall for the row's Error cell; and the script and voice honoured the
            // row's language (they used to note "writes English only").
            Assert.DoesNotContain(events, e => e.Kind == StageContext.NoteEventKind && e.Stage is StageName.Trends or StageName.Analysis or StageName.Script or StageName.Voice);

            var script = StageJson.FromElement<VideoScript>((await store.GetLatestCompletedAsync(job.Id, StageName.Script, 1, CancellationToken.None))!.Output!.Value);
            var written = string.Join("\n", [script.Title, script.NarrationText, script.Description, .. script.Tags]).ToLowerInvariant();
            Assert.All(niches, niche => Assert.DoesNotContain(niche, written, StringComparison.Ordinal));
            Assert.DoesNotContain("#dogs", written, StringComparison.Ordinal);
            Assert.DoesNotContain("Chinese", script.NarrationText, StringComparison.Ordinal);

            var render = StageJson.FromElement<RenderOutput>((await store.GetLatestCompletedAsync(job.Id, StageName.Render, 1, CancellationToken.None))!.Output!.Value);
            var video = Assert.Single(Directory.GetFiles(Path.Combine(host.Folder.Path, "published", job.Id.ToString("N")), "*.mp4"));
            var probe = await FfprobeResult.RunAsync(video);
            output.WriteLine($"{language}: video {probe.DurationSeconds:0.00} s; {events.Single(e => e.Stage == StageName.Voice && e.Kind == "completed").Message}");
            Assert.True(probe.DurationSeconds is >= 30 * 0.85 and <= 30 * 1.15, $"{language}: the video lasts {probe.DurationSeconds:0.0} s");
            Assert.Equal(render.DurationSeconds, probe.DurationSeconds, 0.5);
        }
        Assert.Equal(["en", "es", "ja"], jobs.Select(j => j.Request.Language).Order());
    }
}

using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Core.Trends;
using ViralForge.Testing.InMemory;

namespace ViralForge.Core.Tests.Stages;

/// <summary>The analysis stage's own decisions about the optional insight, with scripted insight writers.</summary>
public sealed class AnalysisStageInsightTests
{
    private readonly InMemoryJobStore store = new(TimeProvider.System);

    [Fact]
    public async Task The_offline_writer_gives_the_statistics_alone_without_a_note()
    {
        var job = await JobWithTrendsAsync();

        var result = await new AnalysisStage(new NoTrendInsightWriter()).RunAsync(Context(job), CancellationToken.None);
        var plain = await new AnalysisStage().RunAsync(Context(job), CancellationToken.None);

        Assert.Null(StageJson.FromElement<TrendAnalysis>(result.Output).Insight);
        Assert.Equal(plain.Output.GetRawText(), result.Output.GetRawText());
        Assert.Equal(plain.Summary, result.Summary);
        Assert.Empty(await NotesAsync(job));
    }

    [Fact]
    public async Task The_writer_is_shown_the_ten_most_viewed_videos_with_the_rows_topic_and_language_under_the_attempts_ledger_key()
    {
        var job = await JobWithTrendsAsync();
        var writer = new ScriptedInsight(_ => new TrendInsight(["Short."], ["a", "b", "c"], "pt-BR", "scripted", 10));

        var result = await new AnalysisStage(writer).RunAsync(Context(job, generation: 2), CancellationToken.None);

        var (request, work) = Assert.Single(writer.Calls);
        Assert.Equal(("Houseplants", "pt-BR", "plants"), (request.Topic, request.Language, request.Niche));
        Assert.Equal([.. Enumerable.Range(3, 10).Reverse().Select(i => $"v{i}")], request.TopVideos.Select(v => v.Id));
        Assert.Equal(new PaidWork(job.Id, StageName.Analysis, 2, "insight"), work);
        Assert.Equal(["a", "b", "c"], StageJson.FromElement<TrendAnalysis>(result.Output).Insight!.HookLines);
    }

    [Fact]
    public async Task Any_failure_of_the_writer_becomes_a_note_and_the_statistics_go_on()
    {
        var job = await JobWithTrendsAsync();
        var writer = new ScriptedInsight(_ => throw new HttpRequestException("connection reset."));

        var result = await new AnalysisStage(writer).RunAsync(Context(job), CancellationToken.None);

        Assert.Equal(13, StageJson.FromElement<TrendAnalysis>(result.Output).VideoCount);
        var note = Assert.Single(await NotesAsync(job));
        Assert.Equal((StageContext.NoteEventKind, "no trend insight (connection reset); the script is written from the statistics alone"), (note.Kind, note.Message));
    }

    [Fact]
    public async Task A_cancelled_attempt_stays_cancelled_rather_than_completing_without_the_insight()
    {
        var job = await JobWithTrendsAsync();
        using var cancel = new CancellationTokenSource();
        var writer = new ScriptedInsight(_ =>
        {
            cancel.Cancel();
            throw new OperationCanceledException(cancel.Token);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new AnalysisStage(writer).RunAsync(Context(job), cancel.Token));

        Assert.Empty(await NotesAsync(job));
    }

    private async Task<List<JobEvent>> NotesAsync(Job job) =>
        [.. (await store.ListEventsAsync(job.Id, CancellationToken.None)).Where(e => e.Kind == StageContext.NoteEventKind)];

    private StageContext Context(Job job, int generation = 1) => new(job, StageName.Analysis, generation, Path.GetTempPath(), store, new InMemoryBlobStore());

    /// <summary>A pt-BR row whose trends are 13 plant videos; video i has i x 1,000 views.</summary>
    private async Task<Job> JobWithTrendsAsync()
    {
        var job = (await store.SubmitAsync("memory:stages", Guid.NewGuid().ToString("N"), new VideoRequest("Houseplants", Platforms.YouTube, 30, "", "default", "pt-BR", null, [], ""), CancellationToken.None)).Job;
        var videos = Enumerable.Range(0, 13)
            .Select(i => new TrendVideo($"v{i}", $"Why is my plant dying {i}?", "", "Plant Lab", ["plants"], "26", DateTimeOffset.UnixEpoch, 30, i * 1_000L, i * 10L, i))
            .ToList();
        await store.ClaimStageAsync(job.Id, StageName.Trends, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteStageAsync(
            new StageCompletion(job.Id, StageName.Trends, 1, StageJson.ToElement(new TrendSample("plants", "scripted", videos)), [], JobStatus.ForStage(StageName.Analysis), "done"),
            CancellationToken.None);
        return job;
    }

    private sealed class ScriptedInsight(Func<InsightRequest, TrendInsight?> answer) : ITrendInsightWriter
    {
        public List<(InsightRequest Request, PaidWork? Work)> Calls { get; } = [];

        public Task<TrendInsight?> WriteAsync(InsightRequest request, PaidWork? work, CancellationToken cancellationToken)
        {
            Calls.Add((request, work));
            return Task.FromResult(answer(request));
        }
    }
}

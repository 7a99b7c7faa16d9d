using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;
using ViralForge.Core.Trends;
using ViralForge.Testing.InMemory;

namespace ViralForge.Core.Tests.Stages;

/// <summary>The trends, analysis and voice stages' own decisions, with scripted providers.</summary>
public sealed class VoiceAndTrendsStageTests
{
    private readonly InMemoryJobStore store = new(TimeProvider.System);
    private readonly InMemoryBlobStore blobs = new();

    [Fact]
    public async Task A_topic_without_trends_completes_trends_and_analysis_saying_so_instead_of_failing()
    {
        var job = await JobAsync(30);
        var trends = new TrendsStage(new ScriptedTrends(new TrendSample("", "bundled sample; no niche matched 'houseplants'", [])), Microsoft.Extensions.Options.Options.Create(new ViralForgeOptions()));

        var result = await trends.RunAsync(Context(job, StageName.Trends, 1), CancellationToken.None);
        await CompleteAsync(job.Id, StageName.Trends, 1, StageJson.FromElement<TrendSample>(result.Output));
        var analysis = await new AnalysisStage().RunAsync(Context(job, StageName.Analysis, 1), CancellationToken.None);

        Assert.Equal(StageResultKind.Completed, result.Kind);
        Assert.Equal("no trends for this niche (bundled sample; no niche matched 'houseplants')", result.Summary);
        Assert.Equal(0, StageJson.FromElement<TrendAnalysis>(analysis.Output).VideoCount);
        Assert.Equal("no trends to analyse; the script is written without them", analysis.Summary);
    }

    [Fact]
    public async Task The_trends_stage_names_its_attempt_for_the_quota_ledger_and_tells_a_tiktok_row_where_its_trends_come_from()
    {
        var job = (await store.SubmitAsync("memory:stages", Guid.NewGuid().ToString("N"), new VideoRequest("Cats", Platforms.Both, 30, "", "default", "en", null, [], ""), CancellationToken.None)).Job;
        var video = new TrendVideo("v1", "Cats #shorts", "", "c", ["cats"], "15", DateTimeOffset.UnixEpoch, 30, 10, 1, 0);
        var provider = new ScriptedTrends(new TrendSample("cats", "YouTube mostPopular US", [video]));
        var trends = new TrendsStage(provider, Microsoft.Extensions.Options.Options.Create(new ViralForgeOptions { RegionCode = "GB" }));

        var result = await trends.RunAsync(Context(job, StageName.Trends, 2), CancellationToken.None);

        Assert.Equal(new PaidWork(job.Id, StageName.Trends, 2, TrendsStage.TrendsCall), provider.Asked!.Work);
        Assert.Equal(("GB", Platforms.Both), (provider.Asked.RegionCode, provider.Asked.Platforms));
        Assert.Equal($"1 trending videos in cats (YouTube mostPopular US); {TrendsStage.TikTokNote}", result.Summary);
    }

    [Fact]
    public async Task A_trends_provider_that_fails_still_fails_the_stage()
    {
        var job = await JobAsync(30);
        var trends = new TrendsStage(new ScriptedTrends(null), Microsoft.Extensions.Options.Options.Create(new ViralForgeOptions()));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => trends.RunAsync(Context(job, StageName.Trends, 1), CancellationToken.None));

        Assert.Equal("quota exceeded", error.Message);
    }

    [Fact]
    public async Task A_narration_within_15_percent_is_spoken_once_at_the_normal_rate()
    {
        var job = await JobAsync(30);
        var voice = new RateVoice(secondsAtNormalRate: 27);

        var output = await RunVoiceAsync(job, voice);

        Assert.Equal([1.0], voice.Factors);
        Assert.Equal(27, output.DurationSeconds);
    }

    [Fact]
    public async Task A_narration_too_long_is_spoken_again_faster_aiming_inside_the_tolerance()
    {
        var job = await JobAsync(30);
        var voice = new RateVoice(secondsAtNormalRate: 45);

        var output = await RunVoiceAsync(job, voice);

        // 29.5 s wanted (the render adds 0.5 s); 45 s is aimed at 29.5 x 1.1 = 32.45 s.
        Assert.Equal(2, voice.Factors.Count);
        Assert.Equal(45 / 32.45, voice.Factors[1], 6);
        Assert.Equal(voice.Factors[1], output.SpeedFactor, 6);
        Assert.InRange(output.DurationSeconds, 29.5 * 0.85, 29.5 * 1.15);
    }

    [Fact]
    public async Task A_narration_that_cannot_be_fitted_fails_naming_the_measured_and_wanted_lengths()
    {
        var job = await JobAsync(30);
        // A provider that ignores the rate: every take lasts 60 s.
        var voice = new RateVoice(secondsAtNormalRate: 60, ignoresRate: true);

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => RunVoiceAsync(job, voice));

        // The retake is at the fastest rate allowed; another at the same rate would be no different, so there is none.
        Assert.Equal([1.0, VoiceStage.MaxSpeedFactor], voice.Factors);
        Assert.StartsWith("the narration lasts 60.0 s but Duration 30 s wants about 29.5 s (within 15 %), even spoken at 1.60x speed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reviewer_feedback_sets_the_gender_and_slows_the_rate_they_heard()
    {
        var job = await JobAsync(30);
        await CompleteAsync(job.Id, StageName.Voice, 1, new VoiceOutput("k", 28, "espeak:en", "en", [new WordTiming("a", 0, 1)], SpeedFactor: 1.2));
        await CompleteAsync(job.Id, StageName.Review, 1, new ReviewOutput(ReviewVerdicts.Regenerate, "Ana", null, "Use a female voice, a bit slower", "voice"));
        var voice = new RateVoice(secondsAtNormalRate: 31);

        var output = await RunVoiceAsync(job with { Generation = 2 }, voice, generation: 2);

        var request = Assert.Single(voice.Requests);
        Assert.Equal(VoiceGender.Female, request.Gender);
        Assert.Equal(1.2 * 0.9, request.SpeedFactor, 6);
        Assert.Equal(29.5, request.TargetSeconds);
        Assert.Equal(1.2 * 0.9, output.SpeedFactor, 6);
    }

    [Fact]
    public void Japanese_beats_share_the_visuals_time_by_morae_not_by_spaces()
    {
        // No spaces: by whitespace each beat was one word and got half the time whatever its length.
        var script = new VideoScript("t", "", [new ScriptBeat("かんようしょくぶつのそだてかたをみじかくまとめます。", "a"), new ScriptBeat("みずやり。", "b")], "", "", [], 165, 30);

        var seconds = VisualsStage.BeatSeconds(script);

        Assert.Equal(30, seconds.Sum(), 1);
        Assert.Equal(24.0 / 4, seconds[0] / seconds[1], 1);
    }

    private async Task<Job> JobAsync(int seconds)
    {
        var job = (await store.SubmitAsync("memory:stages", Guid.NewGuid().ToString("N"), new VideoRequest("Houseplants", Platforms.YouTube, seconds, "", "default", "en", null, [], ""), CancellationToken.None)).Job;
        var script = new VideoScript("t", "Hook.", [new ScriptBeat("One beat.", "Beat")], "Subscribe.", "", [], 165, seconds);
        await CompleteAsync(job.Id, StageName.Script, 1, script);
        return job;
    }

    private StageContext Context(Job job, StageName stage, int generation) =>
        new(job, stage, generation, Path.GetTempPath(), store, blobs);

    private async Task<VoiceOutput> RunVoiceAsync(Job job, IVoiceProvider voice, int generation = 1)
    {
        var result = await new VoiceStage(voice).RunAsync(Context(job, StageName.Voice, generation), CancellationToken.None);
        return StageJson.FromElement<VoiceOutput>(result.Output);
    }

    private async Task CompleteAsync<T>(Guid jobId, StageName stage, int generation, T output)
    {
        await store.ClaimStageAsync(jobId, stage, generation, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteStageAsync(new StageCompletion(jobId, stage, generation, StageJson.ToElement(output), [], JobStatus.ForStage(stage), "done"), CancellationToken.None);
    }

    /// <summary>A trends provider that answers a fixed sample, or fails as an API would when given none.</summary>
    private sealed class ScriptedTrends(TrendSample? sample) : ITrendsProvider
    {
        public TrendQuery? Asked { get; private set; }

        public Task<TrendSample> GetTrendingAsync(TrendQuery query, CancellationToken cancellationToken)
        {
            Asked = query;
            return sample is null ? throw new HttpRequestException("quota exceeded") : Task.FromResult(sample);
        }
    }

    /// <summary>A voice whose narration lasts its normal length divided by the speed factor, as a speech engine's does.</summary>
    private sealed class RateVoice(double secondsAtNormalRate, bool ignoresRate = false) : IVoiceProvider
    {
        public List<VoiceRequest> Requests { get; } = [];

        public List<double> Factors => Requests.Select(r => r.SpeedFactor).ToList();

        public Task<Narration> SynthesizeAsync(VoiceRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            var seconds = ignoresRate ? secondsAtNormalRate : secondsAtNormalRate / request.SpeedFactor;
            return Task.FromResult(new Narration(request.OutputPath, seconds, [new WordTiming("Hook.", 0, seconds)], null, "test:voice"));
        }
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Local;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;
using ViralForge.Core.Trends;
using ViralForge.Testing.InMemory;
using Xunit.Abstractions;

namespace ViralForge.Adapters.Tests.Local;

/// <summary>The voice stage with the offline writer and real espeak-ng: narration that fits the Duration, and feedback that changes it.</summary>
public sealed class VoiceStageEspeakTests(ITestOutputHelper output) : IDisposable
{
    private readonly InMemoryJobStore store = new(TimeProvider.System);
    private readonly InMemoryBlobStore blobs = new();
    private readonly ViralForgeOptions settings = new();
    private readonly string created = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "vf-voice-stage-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(created, recursive: true);

    [Theory]
    [InlineData("en", "Houseplant care for beginners")]
    [InlineData("es", "Cuidado de plantas de interior")]
    [InlineData("ja", "観葉植物の育て方")]
    [InlineData("ja", "初心者のための自宅トレーニング")]
    [InlineData("pt", "Cuidados com plantas")]
    [InlineData("fr", "Entretien des plantes")]
    [InlineData("de", "Zimmerpflanzen pflegen")]
    public async Task A_30_second_row_gets_narration_within_15_percent_of_30_seconds(string language, string topic)
    {
        var job = await JobAsync(new VideoRequest(topic, Platforms.Both, 30, "bold", "default", language, null, [], ""));
        await ScriptAsync(job, 1);

        var narration = await RunVoiceAsync(job, 1);

        output.WriteLine($"{language}: {narration.DurationSeconds:0.00} s at {narration.SpeedFactor:0.00}x");
        Assert.InRange(narration.DurationSeconds + RenderStage.TailSeconds, 30 * 0.85, 30 * 1.15);
        Assert.Equal($"espeak:{language}", narration.Voice);
    }

    [Fact]
    public async Task Narration_far_from_the_duration_is_spoken_again_at_an_adjusted_rate()
    {
        // A script fitted to 30 s, spoken for a row that now says 20 s: about 50 % too long until it is sped up.
        var job = await JobAsync(new VideoRequest("Home workout", Platforms.Both, 30, "bold", "default", "en", null, [], ""));
        await ScriptAsync(job, 1);
        job = job with { Request = job.Request with { DurationSeconds = 20 } };

        var output = await RunVoiceAsync(job, 1);

        Assert.InRange(output.DurationSeconds, 19.5 * 0.85, 19.5 * 1.15);
        Assert.True(output.SpeedFactor > 1.2, $"spoken at {output.SpeedFactor}x");
    }

    [Fact]
    public async Task A_narration_that_cannot_fit_even_at_the_fastest_rate_fails_naming_both_lengths()
    {
        var job = await JobAsync(new VideoRequest("Home workout", Platforms.Both, 90, "bold", "default", "en", null, [], ""));
        await ScriptAsync(job, 1);
        job = job with { Request = job.Request with { DurationSeconds = 15 } };

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => RunVoiceAsync(job, 1));

        Assert.Matches(@"^the narration lasts \d+\.\d s but Duration 15 s wants about 14\.5 s \(within 15 %\), even spoken at 1\.60x speed", error.Message);
    }

    [Fact]
    public async Task Regenerate_with_female_and_a_bit_slower_gives_the_f3_variant_and_a_longer_narration()
    {
        var job = await JobAsync(new VideoRequest("Home workout", Platforms.Both, 30, "bold", "espeak:en+m1", "en", null, [], ""));
        await ScriptAsync(job, 1);
        var first = await RunVoiceAsync(job, 1);
        await CompleteAsync(job.Id, StageName.Voice, 1, first);
        await CompleteAsync(job.Id, StageName.Review, 1, new ReviewOutput("regenerate", "Ana", null, "Use a female voice, a bit slower", "voice"));

        var second = await RunVoiceAsync(job with { Generation = 2 }, 2);

        Assert.Equal("espeak:en+m1", first.Voice);
        Assert.Equal("espeak:en+f3", second.Voice);
        Assert.Equal(first.Words.Select(w => w.Word), second.Words.Select(w => w.Word));
        // 0.9x of what the reviewer heard, unless that leaves the Duration's 15 %: then as slow as it allows.
        Assert.InRange(second.SpeedFactor, first.SpeedFactor * 0.9 - 0.001, first.SpeedFactor * 0.97);
        Assert.True(second.DurationSeconds > first.DurationSeconds * 1.03, $"{second.DurationSeconds} s is not slower than {first.DurationSeconds} s");
        Assert.InRange(second.DurationSeconds + RenderStage.TailSeconds, 30 * 0.85, 30 * 1.15);
    }

    private async Task<Job> JobAsync(VideoRequest request) =>
        (await store.SubmitAsync("memory:voice", Guid.NewGuid().ToString("N"), request, CancellationToken.None)).Job;

    /// <summary>Runs trends, analysis and the template writer for the row, as the pipeline does, and stores the script.</summary>
    private async Task ScriptAsync(Job job, int generation)
    {
        var request = job.Request;
        var sample = await new SampleTrendsProvider().GetTrendingAsync(new TrendQuery(request.Platforms, request.Topic, request.Language, "US", 25), CancellationToken.None);
        var script = await new TemplateScriptWriter(Options.Create(settings)).WriteAsync(request, TrendAnalyzer.Analyze(sample), CancellationToken.None);
        await CompleteAsync(job.Id, StageName.Script, generation, script);
    }

    private async Task<VoiceOutput> RunVoiceAsync(Job job, int generation)
    {
        var work = Directory.CreateDirectory(Path.Combine(created, $"g{generation}-{Guid.NewGuid():N}")).FullName;
        var context = new StageContext(job, StageName.Voice, generation, work, store, blobs);
        var stage = new VoiceStage(new EspeakVoiceProvider(Options.Create(settings), NullLogger<EspeakVoiceProvider>.Instance));
        var result = await stage.RunAsync(context, CancellationToken.None);
        return StageJson.FromElement<VoiceOutput>(result.Output);
    }

    private async Task CompleteAsync<T>(Guid jobId, StageName stage, int generation, T output)
    {
        await store.ClaimStageAsync(jobId, stage, generation, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteStageAsync(new StageCompletion(jobId, stage, generation, StageJson.ToElement(output), [], JobStatus.ForStage(stage), "done"), CancellationToken.None);
    }
}

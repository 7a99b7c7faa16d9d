using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;
using ViralForge.Testing.InMemory;

namespace ViralForge.Core.Tests.Stages;

/// <summary>The voice stage with a paid voice: one take, the paid work named, a miss noted instead of bought again.</summary>
public sealed class VoiceStagePaidVoiceTests
{
    private readonly InMemoryJobStore store = new(TimeProvider.System);
    private readonly InMemoryBlobStore blobs = new();

    [Fact]
    public async Task A_paid_narration_that_misses_the_duration_is_not_retaken_and_the_row_is_told()
    {
        var job = await JobAsync(30);
        var voice = new PricedVoice(secondsAtNormalRate: 45, retakesAreFree: false);

        var output = await RunAsync(job, voice);

        Assert.Equal([1.0], voice.Requests.Select(r => r.SpeedFactor));
        Assert.Equal(45, output.DurationSeconds);
        var notes = (await store.ListEventsAsync(job.Id, CancellationToken.None)).Where(e => e.Kind == StageContext.NoteEventKind).ToList();
        Assert.Contains(notes, n => n.Message.Contains("paid voice is not retaken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_free_narration_that_misses_the_duration_is_still_retaken()
    {
        var job = await JobAsync(30);
        var voice = new PricedVoice(secondsAtNormalRate: 45, retakesAreFree: true);

        await RunAsync(job, voice);

        Assert.True(voice.Requests.Count > 1);
    }

    [Fact]
    public async Task The_voice_request_names_the_paid_work_of_this_job_generation_and_the_rows_style()
    {
        var job = await JobAsync(30);
        var voice = new PricedVoice(secondsAtNormalRate: 27, retakesAreFree: false);

        await RunAsync(job with { Generation = 3 }, voice, generation: 3);

        var request = Assert.Single(voice.Requests);
        Assert.Equal(new PaidWork(job.Id, StageName.Voice, 3, "tts"), request.Work);
        Assert.Equal("calm and warm", request.Style);
    }

    private async Task<Job> JobAsync(int seconds)
    {
        var job = (await store.SubmitAsync("memory:stages", Guid.NewGuid().ToString("N"), new VideoRequest("Houseplants", Platforms.YouTube, seconds, "calm and warm", "default", "en", null, [], ""), CancellationToken.None)).Job;
        var script = new VideoScript("t", "Hook.", [new ScriptBeat("One beat.", "Beat")], "Subscribe.", "", [], 165, seconds);
        await store.ClaimStageAsync(job.Id, StageName.Script, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteStageAsync(new StageCompletion(job.Id, StageName.Script, 1, StageJson.ToElement(script), [], JobStatus.ForStage(StageName.Script), "done"), CancellationToken.None);
        return job;
    }

    private async Task<VoiceOutput> RunAsync(Job job, IVoiceProvider voice, int generation = 1)
    {
        var context = new StageContext(job, StageName.Voice, generation, Path.GetTempPath(), store, blobs);
        var result = await new VoiceStage(voice).RunAsync(context, CancellationToken.None);
        return StageJson.FromElement<VoiceOutput>(result.Output);
    }

    /// <summary>A voice whose narration lasts its normal length divided by the speed factor, saying whether retakes cost.</summary>
    private sealed class PricedVoice(double secondsAtNormalRate, bool retakesAreFree) : IVoiceProvider
    {
        public List<VoiceRequest> Requests { get; } = [];

        public Task<Narration> SynthesizeAsync(VoiceRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            var seconds = secondsAtNormalRate / request.SpeedFactor;
            return Task.FromResult(new Narration(request.OutputPath, seconds, [new WordTiming("Hook.", 0, seconds)], null, "test:voice", retakesAreFree));
        }
    }
}

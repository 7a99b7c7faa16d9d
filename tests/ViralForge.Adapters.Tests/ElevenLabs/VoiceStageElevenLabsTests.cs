using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.ElevenLabs;
using ViralForge.Adapters.Tests.Voices;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;

namespace ViralForge.Adapters.Tests.ElevenLabs;

/// <summary>The voice stage with the ElevenLabs voice behind WireMock: paid once per generation, never retaken.</summary>
public sealed class VoiceStageElevenLabsTests : IDisposable
{
    private const string Narration = "Hook. One beat. Subscribe.";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly InMemoryJobStore store = new(TimeProvider.System);
    private readonly InMemoryBlobStore blobs = new();
    private readonly InMemoryCostLedger ledger = new();
    private readonly TempFolder folder = new();

    [Fact]
    public async Task A_redelivered_voice_stage_reuses_the_paid_narration_and_a_miss_of_the_duration_is_a_note_not_a_retake()
    {
        await AnswerAsync(seconds: 2.0);
        var job = await JobAsync();

        var first = await RunAsync(job);
        // The delivery died before the stage's commit; the queue delivers the same generation again to a new process.
        var second = await RunAsync(job);

        Assert.Single(server.LogEntries, e => e.RequestMessage.Path!.EndsWith("/with-timestamps", StringComparison.Ordinal));
        Assert.Equal(first.DurationSeconds, second.DurationSeconds, 3);
        Assert.Equal(first.Words, second.Words);
        Assert.Equal("elevenlabs:Rachel", second.Voice);
        var call = Assert.Single(ledger.Calls);
        Assert.Equal(new PaidWork(job.Id, StageName.Voice, 1, "tts-part-1"), call.Work);
        var notes = (await store.ListEventsAsync(job.Id, CancellationToken.None)).Where(e => e.Kind == StageContext.NoteEventKind).Select(e => e.Message);
        Assert.Contains(notes, n => n.Contains("a paid voice is not retaken", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private async Task AnswerAsync(double seconds)
    {
        server.Given(Request.Create().WithPath("/v2/voices").UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithBody("""{"voices":[{"voice_id":"v1","name":"Rachel"}],"has_more":false}"""));
        var tone = Convert.ToBase64String(await VoiceTesting.ToneAsync(seconds, "mp3"));
        var step = seconds / Narration.Length;
        var alignment = new JsonObject
        {
            ["characters"] = new JsonArray([.. Narration.Select(c => (JsonNode)JsonValue.Create(c.ToString())!)]),
            ["character_start_times_seconds"] = new JsonArray([.. Enumerable.Range(0, Narration.Length).Select(i => (JsonNode)JsonValue.Create(i * step)!)]),
            ["character_end_times_seconds"] = new JsonArray([.. Enumerable.Range(1, Narration.Length).Select(i => (JsonNode)JsonValue.Create(i * step)!)]),
        };
        server.Given(Request.Create().WithPath("/v1/text-to-speech/v1/with-timestamps").UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithBody(new JsonObject { ["audio_base64"] = tone, ["alignment"] = alignment }.ToJsonString()));
    }

    private async Task<Job> JobAsync()
    {
        var request = new VideoRequest("Houseplants", Platforms.YouTube, 30, "calm", "elevenlabs:Rachel", "en", null, [], "");
        var job = (await store.SubmitAsync("memory:voices", Guid.NewGuid().ToString("N"), request, CancellationToken.None)).Job;
        var script = new VideoScript("t", "Hook.", [new ScriptBeat("One beat.", "Beat")], "Subscribe.", "", [], 165, 30);
        await store.ClaimStageAsync(job.Id, StageName.Script, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteStageAsync(new StageCompletion(job.Id, StageName.Script, 1, StageJson.ToElement(script), [], JobStatus.ForStage(StageName.Script), "done"), CancellationToken.None);
        return job;
    }

    private async Task<VoiceOutput> RunAsync(Job job)
    {
        var options = new ElevenLabsOptions { ApiKey = "k", BaseUrl = new Uri(server.Urls[0] + "/") };
        using var voice = new ElevenLabsVoiceProvider(new TestHttpClients(), Options.Create(options), VoiceTesting.Audio, blobs, TimeProvider.System, ledger);
        var work = Path.Combine(folder.Path, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var result = await new VoiceStage(voice).RunAsync(new StageContext(job, StageName.Voice, 1, work, store, blobs), CancellationToken.None);
        return StageJson.FromElement<VoiceOutput>(result.Output);
    }
}

using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.OpenAI;
using ViralForge.Adapters.Tests.Voices;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Stages;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;
using ViralForge.Testing.Providers;
using static ViralForge.Testing.Providers.OpenAIWire;

namespace ViralForge.Adapters.Tests.OpenAI;

/// <summary>The OpenAI voice (speech, then whisper-1 word timestamps matched to the script) against WireMock.</summary>
public sealed class VoiceProviderTests : IDisposable
{
    private const string Key = "sk-proj-test-secret";
    private const string Script = "Water 3 plants daily.";

    // whisper-1 hears the digit as a word; the captions keep the script's spelling.
    private static readonly string Transcription = OpenAIWire.Transcription("Water three plants daily.", 1.0);

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly TempFolder folder = new();
    private readonly InMemoryCostLedger ledger = new();
    private readonly InMemoryBlobStore blobs = new();

    [Fact]
    public async Task The_script_is_spoken_then_timed_by_whisper_words_with_the_scripts_spelling_and_both_calls_priced()
    {
        await AnswerAsync();
        using var voice = Provider();
        var work = new PaidWork(Guid.NewGuid(), StageName.Voice, 1, "tts");

        var narration = await voice.SynthesizeAsync(Speak(Script, "openai:coral", work, speed: 1.1, style: "upbeat, friendly"), CancellationToken.None);

        Assert.Equal(["Water", "3", "plants", "daily."], narration.Words.Select(w => w.Word));
        Assert.Equal([0.0, 0.25, 0.5, 0.75], narration.Words.Select(w => w.Start));
        Assert.Equal(1.0, narration.DurationSeconds, 1);
        Assert.Equal("openai:coral", narration.Voice);
        Assert.False(narration.RetakesAreFree);
        var speech = Assert.Single(server.LogEntries, e => e.RequestMessage.Path == SpeechPath).RequestMessage;
        Assert.Equal($"Bearer {Key}", speech.Headers!["Authorization"].Single());
        using var body = JsonDocument.Parse(speech.Body!);
        Assert.Equal("gpt-4o-mini-tts", body.RootElement.GetProperty("model").GetString());
        Assert.Equal("coral", body.RootElement.GetProperty("voice").GetString());
        Assert.Equal(Script, body.RootElement.GetProperty("input").GetString());
        Assert.Equal("Speak in this style: upbeat, friendly", body.RootElement.GetProperty("instructions").GetString());
        Assert.Equal("wav", body.RootElement.GetProperty("response_format").GetString());
        Assert.Equal(1.1, body.RootElement.GetProperty("speed").GetDouble());
        var form = Multipart(Assert.Single(server.LogEntries, e => e.RequestMessage.Path == TranscriptionPath).RequestMessage);
        Assert.Contains("name=response_format\r\n\r\nverbose_json", form, StringComparison.Ordinal);
        Assert.Contains("name=\"timestamp_granularities[]\"\r\n\r\nword", form, StringComparison.Ordinal);
        Assert.Contains("name=model\r\n\r\nwhisper-1", form, StringComparison.Ordinal);
        Assert.Contains("name=language\r\n\r\nen", form, StringComparison.Ordinal);
        Assert.Equal(
            [("tts-part-1", "characters", 21m, 0.000315m), ("align-part-1", "seconds", 1m, 0.0001m)],
            ledger.Calls.OrderByDescending(c => c.Work.Call, StringComparer.Ordinal).Select(c => (c.Work.Call, c.UnitKind, c.Units, c.Usd)));
    }

    [Fact]
    public async Task Tts_1_is_sent_no_instructions_and_the_default_voice_speaks_a_default_row()
    {
        await AnswerAsync();
        using var voice = Provider(o => o.VoiceModel = "tts-1");

        var narration = await voice.SynthesizeAsync(Speak(Script, "default", style: "upbeat"), CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(server.LogEntries, e => e.RequestMessage.Path == SpeechPath).RequestMessage.Body!);
        Assert.False(body.RootElement.TryGetProperty("instructions", out _));
        Assert.False(body.RootElement.TryGetProperty("speed", out _));
        Assert.Equal("alloy", body.RootElement.GetProperty("voice").GetString());
        Assert.Equal("openai:alloy", narration.Voice);
    }

    [Theory]
    [InlineData("openai:alloy", VoiceGender.Female, "coral")]
    [InlineData("openai:alloy", VoiceGender.Male, "onyx")]
    [InlineData("openai:nova", VoiceGender.Female, "nova")]
    [InlineData("openai:echo", VoiceGender.Male, "echo")]
    [InlineData("openai:nova", VoiceGender.Male, "onyx")]
    public async Task A_reviewers_gender_wish_keeps_a_voice_that_sounds_so_and_otherwise_speaks_with_the_configured_one(string row, VoiceGender gender, string spoken)
    {
        await AnswerAsync();
        using var voice = Provider();

        var narration = await voice.SynthesizeAsync(Speak(Script, row) with { Gender = gender }, CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(server.LogEntries, e => e.RequestMessage.Path == SpeechPath).RequestMessage.Body!);
        Assert.Equal(spoken, body.RootElement.GetProperty("voice").GetString());
        Assert.Equal($"openai:{spoken}", narration.Voice);
        // A swap is told to the row; a kept voice needs no note.
        Assert.Equal(row != $"openai:{spoken}", narration.Notes?.Any(n => n.Contains($"instead of {row[7..]}: the reviewer asked for a {gender.ToString().ToLowerInvariant()} voice", StringComparison.Ordinal)) == true);
    }

    [Fact]
    public async Task A_bad_key_is_permanent_and_names_the_setting_never_the_key()
    {
        server.Given(Request.Create().WithPath(SpeechPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(401)
            .WithBody("""{"error":{"message":"Incorrect API key provided: sk-proj-****cret.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"""));
        using var voice = Provider();

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => voice.SynthesizeAsync(Speak(Script, "openai:alloy"), CancellationToken.None));

        Assert.Equal("OpenAI refused the key in OpenAI:ApiKey (401 invalid_api_key); set it to a valid API key.", error.Message);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_voice_openai_does_not_have_is_permanent_naming_the_voices_it_has()
    {
        server.Given(Request.Create().WithPath(SpeechPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(400)
            .WithBody("""{"error":{"message":"Invalid value for 'voice': 'rachel'.","type":"invalid_request_error","param":"voice","code":"invalid_value"}}"""));
        using var voice = Provider();

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => voice.SynthesizeAsync(Speak(Script, "openai:rachel"), CancellationToken.None));

        Assert.StartsWith("OpenAI has no voice 'rachel'; the voices it has: alloy, ash, ballad, coral,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_insufficient_quota_is_permanent_and_not_repeated()
    {
        server.Given(Request.Create().WithPath(SpeechPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(429)
            .WithBody("""{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"""));
        using var voice = Provider();

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => voice.SynthesizeAsync(Speak(Script, "openai:alloy"), CancellationToken.None));

        Assert.StartsWith("OpenAI quota exhausted for the key in OpenAI:ApiKey (insufficient_quota)", error.Message, StringComparison.Ordinal);
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == SpeechPath);
    }

    [Fact]
    public async Task A_429_rate_limit_with_retry_after_is_waited_out_and_the_call_made_again()
    {
        var tone = await VoiceTesting.ToneAsync(1.0, "wav");
        server.Given(Request.Create().WithPath(SpeechPath).UsingPost()).InScenario("rate").WillSetStateTo("ok").RespondWith(Response.Create().WithStatusCode(429)
            .WithHeader("Retry-After", "1")
            .WithBody("""{"error":{"message":"Rate limit reached for gpt-4o-mini-tts.","type":"requests","param":null,"code":"rate_limit_exceeded"}}"""));
        server.Given(Request.Create().WithPath(SpeechPath).UsingPost()).InScenario("rate").WhenStateIs("ok").RespondWith(Response.Create().WithStatusCode(200).WithBody(tone));
        server.Given(Request.Create().WithPath(TranscriptionPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(Transcription));
        using var voice = Provider();

        var narration = await voice.SynthesizeAsync(Speak(Script, "openai:alloy"), CancellationToken.None);

        Assert.Equal(4, narration.Words.Count);
        Assert.Equal(2, server.LogEntries.Count(e => e.RequestMessage.Path == SpeechPath));
    }

    [Fact]
    public async Task A_429_asking_for_longer_than_the_longest_wait_hands_the_wait_to_the_queue_without_paying()
    {
        server.Given(Request.Create().WithPath(SpeechPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "600")
            .WithBody("""{"error":{"message":"Rate limit reached for gpt-4o-mini-tts.","type":"requests","param":null,"code":"rate_limit_exceeded"}}"""));
        using var voice = Provider();

        var error = await Assert.ThrowsAsync<TransientStageException>(() => voice.SynthesizeAsync(Speak(Script, "openai:alloy", new PaidWork(Guid.NewGuid(), StageName.Voice, 1, "tts")), CancellationToken.None));

        Assert.Equal("OpenAI answered 429 rate_limit_exceeded: Rate limit reached for gpt-4o-mini-tts.", error.Message);
        Assert.Equal(TimeSpan.FromMinutes(10), error.RetryAfter);
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == SpeechPath);
        Assert.Empty(ledger.Calls);
    }

    [Fact]
    public async Task A_5xx_that_outlasts_the_retries_is_transient()
    {
        server.Given(Request.Create().WithPath(SpeechPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(500)
            .WithBody("""{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}"""));
        using var voice = Provider(o => o.VoiceMaxRetries = 1);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => voice.SynthesizeAsync(Speak(Script, "openai:alloy"), CancellationToken.None));

        Assert.Equal("OpenAI answered 500 server_error: The server had an error while processing your request.", error.Message);
        Assert.Equal(2, server.LogEntries.Count(e => e.RequestMessage.Path == SpeechPath));
    }

    [Fact]
    public async Task A_malformed_transcription_is_transient_and_the_paid_speech_is_kept_for_the_retry()
    {
        server.Given(Request.Create().WithPath(SpeechPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(await VoiceTesting.ToneAsync(1.0, "wav")));
        server.Given(Request.Create().WithPath(TranscriptionPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"text":"Water","words":[{"word":"Wat"""));
        using var voice = Provider();
        var work = new PaidWork(Guid.NewGuid(), StageName.Voice, 1, "tts");

        await Assert.ThrowsAsync<InvalidDataException>(() => voice.SynthesizeAsync(Speak(Script, "openai:alloy", work), CancellationToken.None));

        Assert.Equal(["tts-part-1"], ledger.Calls.Select(c => c.Work.Call));
    }

    [Fact]
    public async Task A_redelivery_after_a_crash_pays_for_neither_the_speech_nor_the_transcription_again()
    {
        await AnswerAsync();
        var work = new PaidWork(Guid.NewGuid(), StageName.Voice, 1, "tts");
        Narration first;
        using (var voice = Provider())
        {
            first = await voice.SynthesizeAsync(Speak(Script, "openai:alloy", work), CancellationToken.None);
        }
        File.Delete(first.LocalPath);
        using var again = Provider();

        var second = await again.SynthesizeAsync(Speak(Script, "openai:alloy", work), CancellationToken.None);

        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == SpeechPath);
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == TranscriptionPath);
        Assert.Equal(first.Words, second.Words);
        Assert.True(File.Exists(second.LocalPath));
    }

    [Fact]
    public async Task A_script_over_the_limit_is_spoken_in_parts_each_aligned_and_offset_by_the_parts_before()
    {
        await AnswerAsync();
        using var voice = Provider(o => o.MaxCharactersPerRequest = 100);
        var script = string.Join(' ', Enumerable.Repeat(Script, 8));

        var narration = await voice.SynthesizeAsync(Speak(script, "openai:alloy", new PaidWork(Guid.NewGuid(), StageName.Voice, 1, "tts")), CancellationToken.None);

        var parts = server.LogEntries.Where(e => e.RequestMessage.Path == SpeechPath).Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("input").GetString()!).ToList();
        Assert.Equal(2, parts.Count);
        Assert.All(parts, p => Assert.True(p.Length <= 100));
        Assert.Equal(2, server.LogEntries.Count(e => e.RequestMessage.Path == TranscriptionPath));
        Assert.Equal(2.0, narration.DurationSeconds, 1);
        Assert.Equal(32, narration.Words.Count);
        var secondPart = narration.Words[parts[0].Split(' ').Length];
        Assert.InRange(secondPart.Start, 0.99, 1.01);
        Assert.True(narration.Words.Zip(narration.Words.Skip(1)).All(p => p.First.Start <= p.Second.Start));
    }

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private async Task AnswerAsync()
    {
        server.Given(Request.Create().WithPath(SpeechPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "audio/wav").WithBody(await VoiceTesting.ToneAsync(1.0, "wav")));
        server.Given(Request.Create().WithPath(TranscriptionPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(Transcription));
    }

    private OpenAIVoiceProvider Provider(Action<OpenAIVoiceOptions>? configure = null)
    {
        var options = new OpenAIVoiceOptions { ApiKey = Key, Endpoint = new Uri(server.Urls[0] + "/v1"), VoiceRetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        configure?.Invoke(options);
        return new OpenAIVoiceProvider(new TestHttpClients(), Options.Create(options), VoiceTesting.Audio, blobs, ledger);
    }

    private VoiceRequest Speak(string text, string voice, PaidWork? work = null, double speed = 1, string? style = null) =>
        new(text, voice, "en-US", Path.Combine(folder.Path, $"narration-{Guid.NewGuid():N}.wav"), speed, Work: work, Style: style);

    private static string Multipart(WireMock.IRequestMessage request) =>
        Encoding.Latin1.GetString(request.BodyAsBytes ?? Encoding.UTF8.GetBytes(request.Body ?? ""));
}

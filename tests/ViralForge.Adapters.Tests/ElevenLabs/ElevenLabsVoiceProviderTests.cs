using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.ElevenLabs;
using ViralForge.Adapters.Tests.Voices;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Stages;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;
using ViralForge.Testing.Providers;
using WireMock.Models;

namespace ViralForge.Adapters.Tests.ElevenLabs;

/// <summary>The ElevenLabs voice against WireMock answering ElevenLabs' own wire format.</summary>
public sealed class ElevenLabsVoiceProviderTests : IDisposable
{
    private const string Key = "sk_test_secret_key_123";
    private static readonly string SpeakPath = ElevenLabsWire.SpeakPath(ElevenLabsWire.RachelId);

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly TempFolder folder = new();
    private readonly InMemoryCostLedger ledger = new();
    private readonly InMemoryBlobStore blobs = new();

    public ElevenLabsVoiceProviderTests()
    {
        server.Given(Request.Create().WithPath("/v2/voices").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(ElevenLabsWire.Voices));
    }

    [Fact]
    public async Task A_named_voice_speaks_with_word_timings_from_the_character_alignment_and_the_call_is_priced()
    {
        const string text = "Water 2 plants, daily!";
        server.Given(Request.Create().WithPath(SpeakPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("character-cost", "22").WithBody(await BodyAsync(text, 1.0)));
        using var voice = Provider();
        var work = new PaidWork(Guid.NewGuid(), StageName.Voice, 1, "tts");

        var narration = await voice.SynthesizeAsync(Speak(text, "elevenlabs:rachel", work), CancellationToken.None);

        Assert.Equal(["Water", "2", "plants,", "daily!"], narration.Words.Select(w => w.Word));
        Assert.Equal(1.0, narration.DurationSeconds, 1);
        Assert.Equal(1.0, VoiceTesting.WavSeconds(narration.LocalPath), 1);
        Assert.True(narration.Words.Zip(narration.Words.Skip(1)).All(p => p.First.End <= p.Second.Start + 1e-9));
        Assert.Equal("elevenlabs:Rachel", narration.Voice);
        Assert.False(narration.RetakesAreFree);
        var sent = Assert.Single(server.LogEntries, e => e.RequestMessage.Path == SpeakPath);
        Assert.Equal(Key, sent.RequestMessage.Headers!["xi-api-key"].Single());
        Assert.Contains("output_format=mp3_44100_128", sent.RequestMessage.Url, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(sent.RequestMessage.Body!);
        Assert.Equal("eleven_multilingual_v2", body.RootElement.GetProperty("model_id").GetString());
        var call = Assert.Single(ledger.Calls);
        Assert.Equal((22m, "credits", 0.0022m, new DateOnly(2026, 6, 1)), (call.Units, call.UnitKind, call.Usd, call.PricesOf));
        Assert.Equal(work.For("tts-part-1"), call.Work);
    }

    [Fact]
    public async Task Without_a_character_cost_header_the_credits_are_the_characters_at_the_models_rate()
    {
        server.Given(Request.Create().WithPath(SpeakPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(await BodyAsync("Hello you.", 0.5)));
        using var voice = Provider(o => (o.Model, o.CreditsPerCharacter) = ("eleven_flash_v2_5", 0.5m));

        await voice.SynthesizeAsync(Speak("Hello you.", "elevenlabs:Rachel", new PaidWork(Guid.NewGuid(), StageName.Voice, 1, "tts")), CancellationToken.None);

        var call = Assert.Single(ledger.Calls);
        Assert.Equal((5m, "credits", 0.0005m), (call.Units, call.UnitKind, call.Usd));
    }

    [Fact]
    public async Task The_voices_list_is_read_once_for_many_narrations_and_a_voice_is_found_by_id_or_first_name()
    {
        server.Given(Request.Create().WithPath("/v1/text-to-speech/*").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(await BodyAsync("Hi.", 0.5)));
        using var voice = Provider();

        await voice.SynthesizeAsync(Speak("Hi.", "elevenlabs:21m00Tcm4TlvDq8ikWAM"), CancellationToken.None);
        var adam = await voice.SynthesizeAsync(Speak("Hi.", "elevenlabs:Adam"), CancellationToken.None);

        Assert.Equal(1, voice.VoicesListReads);
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == "/v2/voices");
        Assert.Equal("elevenlabs:Adam - deep narrator", adam.Voice);
        Assert.Contains(server.LogEntries, e => e.RequestMessage.Path == "/v1/text-to-speech/pNInz6obpgDQGcFmaJgB/with-timestamps");
    }

    [Fact]
    public async Task A_reviewers_wish_for_a_male_voice_speaks_with_the_accounts_first_voice_labelled_male_and_says_so()
    {
        server.Given(Request.Create().WithPath("/v1/text-to-speech/*").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(await BodyAsync("Hi.", 0.5)));
        using var voice = Provider();

        var narration = await voice.SynthesizeAsync(Speak("Hi.", "elevenlabs:Rachel") with { Gender = VoiceGender.Male }, CancellationToken.None);

        Assert.Equal("elevenlabs:Adam - deep narrator", narration.Voice);
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == ElevenLabsWire.SpeakPath(ElevenLabsWire.AdamId));
        Assert.DoesNotContain(server.LogEntries, e => e.RequestMessage.Path == SpeakPath);
        Assert.Contains(narration.Notes!, n => n.Contains("Adam - deep narrator instead of Rachel: the reviewer asked for a male voice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_voice_already_labelled_as_the_reviewer_asks_is_kept_without_a_note()
    {
        server.Given(Request.Create().WithPath(SpeakPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(await BodyAsync("Hi.", 0.5)));
        using var voice = Provider();

        var narration = await voice.SynthesizeAsync(Speak("Hi.", "elevenlabs:Rachel") with { Gender = VoiceGender.Female }, CancellationToken.None);

        Assert.Equal("elevenlabs:Rachel", narration.Voice);
        Assert.Empty(narration.Notes ?? []);
    }

    [Fact]
    public async Task A_voice_that_does_not_exist_is_a_permanent_error_naming_the_voices_that_do_and_nothing_is_paid()
    {
        using var voice = Provider();

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => voice.SynthesizeAsync(Speak("Hi.", "elevenlabs:Bella"), CancellationToken.None));

        Assert.Equal("ElevenLabs has no voice 'Bella' for this key; the voices it has: Rachel, Adam - deep narrator.", error.Message);
        Assert.DoesNotContain(server.LogEntries, e => e.RequestMessage.Path!.StartsWith("/v1/text-to-speech", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Voice_not_found_from_the_speech_call_names_the_voices_that_exist()
    {
        server.Given(Request.Create().WithPath(SpeakPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(400)
            .WithBody("""{"detail":{"status":"voice_not_found","message":"A voice with the voice_id 21m00Tcm4TlvDq8ikWAM was not found."}}"""));
        using var voice = Provider();

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => voice.SynthesizeAsync(Speak("Hi.", "elevenlabs:Rachel"), CancellationToken.None));

        Assert.Contains("the voices it has: Rachel, Adam - deep narrator", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_key_is_permanent_and_names_the_setting_never_the_key()
    {
        server.Given(Request.Create().WithPath(SpeakPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(401)
            .WithBody("""{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}"""));
        using var voice = Provider();

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => voice.SynthesizeAsync(Speak("Hi.", "elevenlabs:Rachel"), CancellationToken.None));

        Assert.Equal("ElevenLabs refused the key in ElevenLabs:ApiKey (401 invalid_api_key); set it to a valid API key.", error.Message);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == SpeakPath);
    }

    [Fact]
    public async Task A_422_validation_error_is_permanent_with_the_fields_it_names()
    {
        server.Given(Request.Create().WithPath(SpeakPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(422)
            .WithBody("""{"detail":[{"loc":["body","voice_settings","speed"],"msg":"Input should be less than or equal to 1.2","type":"less_than_equal"}]}"""));
        using var voice = Provider();

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => voice.SynthesizeAsync(Speak("Hi.", "elevenlabs:Rachel"), CancellationToken.None));

        Assert.Equal("ElevenLabs answered 422 validation_error: body.voice_settings.speed: Input should be less than or equal to 1.2", error.Message);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_and_the_call_made_again()
    {
        server.Given(Request.Create().WithPath(SpeakPath).UsingPost()).InScenario("busy").WillSetStateTo("free")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1")
                .WithBody("""{"detail":{"status":"too_many_concurrent_requests","message":"Too many concurrent requests."}}"""));
        server.Given(Request.Create().WithPath(SpeakPath).UsingPost()).InScenario("busy").WhenStateIs("free")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(await BodyAsync("Hi.", 0.5)));
        using var voice = Provider();

        var started = TimeProvider.System.GetTimestamp();
        var narration = await voice.SynthesizeAsync(Speak("Hi.", "elevenlabs:Rachel"), CancellationToken.None);

        Assert.Equal(["Hi."], narration.Words.Select(w => w.Word));
        Assert.Equal(2, server.LogEntries.Count(e => e.RequestMessage.Path == SpeakPath));
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.9));
    }

    [Fact]
    public async Task A_429_asking_for_longer_than_the_longest_wait_is_transient_not_repeated_and_hands_the_wait_to_the_queue()
    {
        server.Given(Request.Create().WithPath(SpeakPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "3600")
            .WithBody("""{"detail":{"status":"system_busy","message":"The system is busy."}}"""));
        using var voice = Provider();

        var error = await Assert.ThrowsAsync<TransientStageException>(() => voice.SynthesizeAsync(Speak("Hi.", "elevenlabs:Rachel"), CancellationToken.None));

        Assert.Equal("ElevenLabs answered 429 system_busy: The system is busy.", error.Message);
        // The stage runner asks the queue to come back after this wait instead of spending attempts inside it.
        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == SpeakPath);
        Assert.Empty(ledger.Calls);
    }

    [Fact]
    public async Task A_5xx_is_repeated_a_bounded_number_of_times_then_fails_the_attempt_as_transient()
    {
        server.Given(Request.Create().WithPath(SpeakPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(503).WithBody("upstream unavailable"));
        using var voice = Provider(o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => voice.SynthesizeAsync(Speak("Hi.", "elevenlabs:Rachel"), CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(3, server.LogEntries.Count(e => e.RequestMessage.Path == SpeakPath));
    }

    [Fact]
    public async Task A_call_that_outlasts_the_timeout_is_transient_and_not_repeated()
    {
        server.Given(Request.Create().WithPath(SpeakPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(1)).WithBody("{}"));
        using var voice = Provider(o => o.Timeout = TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => voice.SynthesizeAsync(Speak("Hi.", "elevenlabs:Rachel"), CancellationToken.None));

        Assert.Equal("ElevenLabs did not answer within 0.3 s.", error.Message);
        // WireMock logs a request once it has answered it.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == SpeakPath);
    }

    [Theory]
    [InlineData("""{"audio_base64":"AAA""", "ElevenLabs answered JSON that could not be read")]
    [InlineData("""{"audio_base64":"%%% not base64 %%%","alignment":null}""", "ElevenLabs answered audio_base64 that is not base64.")]
    [InlineData("""{"alignment":null}""", "ElevenLabs answered without audio_base64.")]
    public async Task A_malformed_answer_is_transient_with_what_was_wrong(string body, string expected)
    {
        server.Given(Request.Create().WithPath(SpeakPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(body));
        using var voice = Provider();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => voice.SynthesizeAsync(Speak("Hi.", "elevenlabs:Rachel"), CancellationToken.None));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(ledger.Calls);
    }

    [Fact]
    public async Task A_redelivery_after_a_crash_reuses_the_stored_part_and_does_not_pay_again()
    {
        const string text = "Water your plants.";
        server.Given(Request.Create().WithPath(SpeakPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(await BodyAsync(text, 1.0)));
        var work = new PaidWork(Guid.NewGuid(), StageName.Voice, 2, "tts");
        Narration first;
        using (var voice = Provider())
        {
            first = await voice.SynthesizeAsync(Speak(text, "elevenlabs:Rachel", work), CancellationToken.None);
        }
        // The stage crashed before its commit: the work folder is gone, the process is new.
        File.Delete(first.LocalPath);
        using var again = Provider();

        var second = await again.SynthesizeAsync(Speak(text, "elevenlabs:Rachel", work), CancellationToken.None);

        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == SpeakPath);
        Assert.Equal(first.Words, second.Words);
        Assert.Equal(first.DurationSeconds, second.DurationSeconds, 3);
        Assert.Single(ledger.Calls);
        Assert.Contains(BlobKeys.For(work.JobId, StageName.Voice, 2, "tts-part-1.mp3"), blobs.Keys);
    }

    [Fact]
    public async Task A_text_over_the_models_limit_is_spoken_in_parts_joined_with_their_timings_offset()
    {
        var tone = Convert.ToBase64String(await VoiceTesting.ToneAsync(1.0, "mp3"));
        server.Given(Request.Create().WithPath(SpeakPath).UsingPost()).RespondWith(Response.Create().WithCallback(request =>
        {
            var text = JsonNode.Parse(request.Body!)!["text"]!.GetValue<string>();
            return new WireMock.ResponseMessage
            {
                StatusCode = 200,
                BodyData = new WireMock.Util.BodyData { BodyAsString = ElevenLabsWire.WithTimestamps(text, tone, 1.0), DetectedBodyType = BodyType.String },
            };
        }));
        using var voice = Provider(o => o.MaxCharactersPerRequest = 40);
        const string script = "First part is here now. Second part follows it.";

        var narration = await voice.SynthesizeAsync(Speak(script, "elevenlabs:Rachel", new PaidWork(Guid.NewGuid(), StageName.Voice, 1, "tts")), CancellationToken.None);

        var sent = server.LogEntries.Where(e => e.RequestMessage.Path == SpeakPath).Select(e => JsonNode.Parse(e.RequestMessage.Body!)!).ToList();
        Assert.Equal(["First part is here now.", "Second part follows it."], sent.Select(b => b["text"]!.GetValue<string>()));
        Assert.Equal("First part is here now.", sent[1]["previous_text"]!.GetValue<string>());
        Assert.Equal(2.0, narration.DurationSeconds, 1);
        Assert.Equal(script.Split(' '), narration.Words.Select(w => w.Word));
        var second = narration.Words[5];
        Assert.Equal("Second", second.Word);
        Assert.InRange(second.Start, 0.99, 1.05);
        Assert.Equal(["tts-part-1", "tts-part-2"], ledger.Calls.Select(c => c.Work.Call));
    }

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private ElevenLabsVoiceProvider Provider(Action<ElevenLabsOptions>? configure = null)
    {
        var options = new ElevenLabsOptions { ApiKey = Key, BaseUrl = new Uri(server.Urls[0] + "/"), RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        configure?.Invoke(options);
        return new ElevenLabsVoiceProvider(new TestHttpClients(), Options.Create(options), VoiceTesting.Audio, blobs, TimeProvider.System, ledger);
    }

    private VoiceRequest Speak(string text, string voice, PaidWork? work = null) =>
        new(text, voice, "en", Path.Combine(folder.Path, $"narration-{Guid.NewGuid():N}.wav"), Work: work);

    private static async Task<string> BodyAsync(string text, double seconds) =>
        ElevenLabsWire.WithTimestamps(text, Convert.ToBase64String(await VoiceTesting.ToneAsync(seconds, "mp3")), seconds);
}

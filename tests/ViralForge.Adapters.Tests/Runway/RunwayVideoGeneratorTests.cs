using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Runway;
using ViralForge.Adapters.Tests.OpenAI;
using ViralForge.Adapters.Tests.Voices;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;

namespace ViralForge.Adapters.Tests.Runway;

/// <summary>The Runway generator against WireMock answering Runway's own wire format (runwayml/sdk-node).</summary>
public sealed class RunwayVideoGeneratorTests : IDisposable
{
    private const string Key = "key_3f9c2a7b1e6d4c8a9b0e5f7a2c4d6e8f";
    private const string CreatePath = "/v1/text_to_video";
    private const string TaskId = "17f20503-6c24-4c16-946b-35dbbce2af2f";
    private const string TaskPath = "/v1/tasks/" + TaskId;
    private const string OutputPath = "/outputs/clip.mp4";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly TempFolder folder = new();
    private readonly InMemoryCostLedger ledger = new();
    private readonly InMemoryBlobStore blobs = new();
    private readonly RecordingLogs logs = new();
    private readonly ILoggerFactory loggers;

    public RunwayVideoGeneratorTests()
    {
        loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
    }

    private string OutputUrl => $"{server.Url}{OutputPath}?_jwt=signed.for.a.day";

    [Fact]
    public async Task A_task_is_created_polled_through_pending_throttled_and_running_then_downloaded_stored_and_priced()
    {
        var clip = await VideoTesting.ClipAsync();
        GivenCreateAnswers();
        server.Given(Request.Create().WithPath(TaskPath).UsingGet()).InScenario("task").WillSetStateTo("throttled")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(TaskJson("PENDING")));
        server.Given(Request.Create().WithPath(TaskPath).UsingGet()).InScenario("task").WhenStateIs("throttled").WillSetStateTo("running")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(TaskJson("THROTTLED")));
        server.Given(Request.Create().WithPath(TaskPath).UsingGet()).InScenario("task").WhenStateIs("running").WillSetStateTo("done")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(TaskJson("RUNNING", """, "progress": 0.4""")));
        server.Given(Request.Create().WithPath(TaskPath).UsingGet()).InScenario("task").WhenStateIs("done")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Succeeded()));
        server.Given(Request.Create().WithPath(OutputPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "video/mp4").WithBody(clip));
        var work = VideoTesting.Work();
        var path = folder.File("beat-1.mp4");

        var video = await Generator().GenerateAsync(new VideoPrompt("A sunrise over misty pine hills, slow aerial push-in", VideoChoices.Vertical, 4.6, work), path, CancellationToken.None);

        Assert.Equal(path, video.LocalPath);
        Assert.Equal(clip, await File.ReadAllBytesAsync(path));
        Assert.True(VideoTesting.IsMp4(path));
        Assert.Equal(5, video.DurationSeconds);
        Assert.Equal(("runway", TaskId, "Runway", "Generated with Runway"), (video.Credit.Provider, video.Credit.ClipId, video.Credit.Author, video.Credit.Line()));
        var create = Assert.Single(server.LogEntries, e => e.RequestMessage.Path == CreatePath);
        Assert.Equal("POST", create.RequestMessage.Method);
        Assert.Equal($"Bearer {Key}", create.RequestMessage.Headers!["Authorization"].Single());
        Assert.Equal("2024-11-06", create.RequestMessage.Headers["X-Runway-Version"].Single());
        Assert.StartsWith("application/json", create.RequestMessage.Headers["Content-Type"].Single(), StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"model":"gen4.5","promptText":"A sunrise over misty pine hills, slow aerial push-in","ratio":"720:1280","duration":5}"""),
            JsonNode.Parse(create.RequestMessage.Body!)));
        var polls = server.LogEntries.Where(e => e.RequestMessage.Path == TaskPath).ToList();
        Assert.Equal(4, polls.Count);
        Assert.All(polls, p => Assert.Equal(($"Bearer {Key}", "2024-11-06"), (p.RequestMessage.Headers!["Authorization"].Single(), p.RequestMessage.Headers["X-Runway-Version"].Single())));
        // The signed URL's host never sees the key.
        var download = Assert.Single(server.LogEntries, e => e.RequestMessage.Path == OutputPath);
        Assert.False(download.RequestMessage.Headers!.ContainsKey("Authorization"));
        var call = Assert.Single(ledger.Calls);
        Assert.Equal((work, "runway", 60m, "credits", 0.60m, new DateOnly(2026, 4, 21), TaskId), (call.Work, call.Provider, call.Units, call.UnitKind, call.Usd, call.PricesOf, call.VendorId));
        var key = BlobKeys.For(work.JobId, StageName.Visuals, 1, "ai-beat-1.mp4");
        Assert.Equal(key, call.Result!.Value.GetProperty("blob").GetString());
        Assert.Equal(5, call.Result.Value.GetProperty("seconds").GetDouble());
        Assert.Equal([key], blobs.Keys);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gen4.5", VideoChoices.Vertical, 4.6, "720:1280", 5)]
    [InlineData("gen4.5", VideoChoices.Landscape, 12.0, "1280:720", 10)]
    [InlineData("gen4.5", VideoChoices.Square, 1.2, "720:1280", 2)]
    [InlineData("veo3.1_fast", VideoChoices.Vertical, 5.0, "720:1280", 6)]
    [InlineData("veo3", VideoChoices.Vertical, 3.0, "720:1280", 8)]
    public async Task The_request_asks_the_models_nearest_duration_and_the_rows_frame(string model, string format, double seconds, string ratio, int duration)
    {
        GivenCreateAnswers();
        GivenTaskAnswers(Succeeded());
        GivenOutputServed(await VideoTesting.ClipAsync());

        var video = await Generator(o => o.Model = model).GenerateAsync(new VideoPrompt("Bees over clover", format, seconds, VideoTesting.Work()), folder.File("b.mp4"), CancellationToken.None);

        var body = JsonNode.Parse(Assert.Single(server.LogEntries, e => e.RequestMessage.Path == CreatePath).RequestMessage.Body!)!;
        Assert.Equal((model, ratio, duration), (body["model"]!.GetValue<string>(), body["ratio"]!.GetValue<string>(), body["duration"]!.GetValue<int>()));
        Assert.Equal(duration, video.DurationSeconds);
        Assert.Equal(duration * new RunwayOptions().CreditsPerSecond[model], Assert.Single(ledger.Calls).Units);
    }

    [Fact]
    public void A_prompt_over_1000_utf16_units_is_cut_at_a_word_and_never_through_a_surrogate_pair()
    {
        var words = string.Concat(Enumerable.Repeat("forest ", 200));
        var cut = RunwayVideoGenerator.PromptText(words);
        Assert.True(cut.Length <= 1000);
        Assert.EndsWith("forest", cut, StringComparison.Ordinal);

        var emoji = new string('a', 999) + "\U0001F332" + "tail";
        var cutEmoji = RunwayVideoGenerator.PromptText(emoji);
        Assert.Equal(999, cutEmoji.Length);
        Assert.False(char.IsHighSurrogate(cutEmoji[^1]));
        Assert.Equal("short prompt", RunwayVideoGenerator.PromptText("  short prompt "));
    }

    [Fact]
    public async Task A_failed_task_refused_by_moderation_is_a_generation_failure_with_a_readable_reason_and_stays_paid()
    {
        GivenCreateAnswers();
        GivenTaskAnswers(TaskJson("FAILED", """, "failure": "Prompt flagged by content moderation", "failureCode": "SAFETY.INPUT.TEXT" """));

        var error = await Assert.ThrowsAsync<VideoGenerationFailedException>(() => Generate(VideoTesting.Work()));

        Assert.Equal("runway", error.Provider);
        Assert.Equal("Runway's moderation refused the prompt (SAFETY.INPUT.TEXT): Prompt flagged by content moderation", error.Reason);
        // SAFETY.INPUT is not refunded: the ledger keeps the charge, with no clip.
        var call = Assert.Single(ledger.Calls);
        Assert.Equal((TaskId, 60m), (call.VendorId, call.Units));
        Assert.Null(call.Result);
        Assert.Empty(blobs.Keys);
    }

    [Theory]
    [InlineData("SAFETY.OUTPUT.VIDEO", "bad frames", "Runway's moderation refused the generated clip (SAFETY.OUTPUT.VIDEO): bad frames")]
    [InlineData("INTERNAL.BAD_OUTPUT", null, "Runway failed the generation (INTERNAL.BAD_OUTPUT)")]
    [InlineData(null, "oops", "Runway failed the generation (unknown): oops")]
    public void Failure_codes_read_as_whose_refusal_it_was(string? code, string? failure, string expected) =>
        Assert.Equal(expected, RunwayVideoGenerator.FailureReason(code, failure));

    [Fact]
    public async Task A_cancelled_task_is_a_generation_failure()
    {
        GivenCreateAnswers();
        GivenTaskAnswers(TaskJson("CANCELLED"));

        var error = await Assert.ThrowsAsync<VideoGenerationFailedException>(() => Generate(VideoTesting.Work()));

        Assert.Equal("the generation was cancelled at Runway", error.Reason);
    }

    [Fact]
    public async Task Polls_answered_429_5xx_or_malformed_json_are_waited_out_and_polling_goes_on()
    {
        GivenCreateAnswers();
        server.Given(Request.Create().WithPath(TaskPath).UsingGet()).InScenario("flaky").WillSetStateTo("s1")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0").WithBody("""{"error":"Too many requests"}"""));
        server.Given(Request.Create().WithPath(TaskPath).UsingGet()).InScenario("flaky").WhenStateIs("s1").WillSetStateTo("s2")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("upstream overloaded"));
        server.Given(Request.Create().WithPath(TaskPath).UsingGet()).InScenario("flaky").WhenStateIs("s2").WillSetStateTo("s3")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"17f2","status":"RUNN"""));
        server.Given(Request.Create().WithPath(TaskPath).UsingGet()).InScenario("flaky").WhenStateIs("s3").WillSetStateTo("s4")
            .RespondWith(Response.Create().WithStatusCode(502));
        server.Given(Request.Create().WithPath(TaskPath).UsingGet()).InScenario("flaky").WhenStateIs("s4")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Succeeded()));
        GivenOutputServed(await VideoTesting.ClipAsync());

        var video = await Generate(VideoTesting.Work());

        Assert.True(VideoTesting.IsMp4(video.LocalPath));
        Assert.Equal(5, server.LogEntries.Count(e => e.RequestMessage.Path == TaskPath));
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == CreatePath);
        Assert.Equal(4, logs.Lines.Count(l => l.StartsWith("3644 ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_create_answered_503_or_429_made_no_task_and_is_repeated()
    {
        server.Given(Request.Create().WithPath(CreatePath).UsingPost()).InScenario("create").WillSetStateTo("again")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("""{"error":"Service overloaded"}"""));
        server.Given(Request.Create().WithPath(CreatePath).UsingPost()).InScenario("create").WhenStateIs("again").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0").WithBody("""{"error":"Rate limited"}"""));
        server.Given(Request.Create().WithPath(CreatePath).UsingPost()).InScenario("create").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"id":"{{TaskId}}"}"""));
        GivenTaskAnswers(Succeeded());
        GivenOutputServed(await VideoTesting.ClipAsync());

        await Generate(VideoTesting.Work());

        Assert.Equal(3, server.LogEntries.Count(e => e.RequestMessage.Path == CreatePath));
        Assert.Equal(TaskId, Assert.Single(ledger.Calls).VendorId);
    }

    [Fact]
    public async Task A_create_still_refused_after_its_retries_is_transient_and_records_nothing()
    {
        server.Given(Request.Create().WithPath(CreatePath).UsingPost()).RespondWith(Response.Create().WithStatusCode(429).WithBody("""{"error":"Daily task limit reached"}"""));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Generate(VideoTesting.Work()));

        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Contains("Daily task limit reached", error.Message, StringComparison.Ordinal);
        Assert.Contains("no task was started", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.LogEntries.Count(e => e.RequestMessage.Path == CreatePath));
        Assert.Empty(ledger.Calls);
    }

    [Fact]
    public async Task A_create_that_times_out_is_not_sent_again_and_the_beat_falls_back_to_stock()
    {
        server.Given(Request.Create().WithPath(CreatePath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(2)).WithBody($$"""{"id":"{{TaskId}}"}"""));

        var error = await Assert.ThrowsAsync<VideoGenerationFailedException>(() => Generate(VideoTesting.Work(), o => o.RequestTimeout = TimeSpan.FromMilliseconds(200)));

        Assert.Contains("may have started a paid generation, so it was not asked again", error.Reason, StringComparison.Ordinal);
        Assert.Contains("stock footage is used for this beat", error.Reason, StringComparison.Ordinal);
        Assert.Empty(ledger.Calls);
        Assert.Contains(logs.Lines, l => l.StartsWith("3647 ", StringComparison.Ordinal));
        // The delayed answer is logged once it is sent; give it the time, then check nothing was sent twice.
        await WaitForAsync(() => server.LogEntries.Any(e => e.RequestMessage.Path == CreatePath));
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == CreatePath);
        Assert.DoesNotContain(server.LogEntries, e => e.RequestMessage.Path!.StartsWith("/v1/tasks", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_create_answered_with_malformed_json_may_have_made_a_task_so_it_is_not_repeated()
    {
        server.Given(Request.Create().WithPath(CreatePath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id": "17f2"""));

        var error = await Assert.ThrowsAsync<VideoGenerationFailedException>(() => Generate(VideoTesting.Work()));

        Assert.Contains("JSON that could not be read", error.Reason, StringComparison.Ordinal);
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == CreatePath);
        Assert.Empty(ledger.Calls);
    }

    [Fact]
    public async Task A_refused_request_says_what_runway_objected_to_and_never_repeats_the_key()
    {
        server.Given(Request.Create().WithPath(CreatePath).UsingPost()).RespondWith(Response.Create().WithStatusCode(400)
            .WithBody($$"""{"error":"Validation of body failed for key {{Key}}","issues":[{"path":["ratio"],"message":"Invalid enum value"}]}"""));

        var error = await Assert.ThrowsAsync<VideoGenerationFailedException>(() => Generate(VideoTesting.Work()));

        Assert.Equal("Runway refused the request (400): Validation of body failed for key [redacted] (ratio: Invalid enum value)", error.Reason);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        Assert.Empty(ledger.Calls);
    }

    [Fact]
    public async Task A_bad_key_is_permanent_and_names_the_setting_never_the_key()
    {
        server.Given(Request.Create().WithPath(CreatePath).UsingPost()).RespondWith(Response.Create().WithStatusCode(401).WithBody($$"""{"error":"Invalid API key {{Key}}"}"""));

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => Generate(VideoTesting.Work()));

        Assert.Equal("Runway refused the key in Runway:ApiKey (401); set it to a valid API secret.", error.Message);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_output_url_that_expired_before_the_download_fails_the_beat()
    {
        GivenCreateAnswers();
        GivenTaskAnswers(Succeeded());
        server.Given(Request.Create().WithPath(OutputPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(403).WithBody("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"));

        var error = await Assert.ThrowsAsync<VideoGenerationFailedException>(() => Generate(VideoTesting.Work()));

        Assert.Equal("the clip expired before it was fetched (403 from its download URL)", error.Reason);
        Assert.Null(Assert.Single(ledger.Calls).Result);
    }

    [Fact]
    public async Task Past_the_wait_of_a_delivery_the_task_is_given_back_and_the_next_delivery_resumes_the_same_task()
    {
        GivenCreateAnswers();
        GivenTaskAnswers(TaskJson("RUNNING", """, "progress": 0.2"""));
        var work = VideoTesting.Work();

        var still = await Assert.ThrowsAsync<WorkStillRunningException>(() => Generate(work, o => (o.MaxWaitPerDelivery, o.ComeBackAfter) = (TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(20))));

        Assert.Equal(TimeSpan.FromSeconds(20), still.RetryAfter);
        Assert.StartsWith($"Runway task {TaskId} is still RUNNING after 0.15 s", still.Message, StringComparison.Ordinal);
        Assert.Equal(TaskId, Assert.Single(ledger.Calls).VendorId);

        GivenTaskAnswers(Succeeded());
        GivenOutputServed(await VideoTesting.ClipAsync());
        var video = await Generate(work);

        Assert.True(VideoTesting.IsMp4(video.LocalPath));
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == CreatePath);
        Assert.Contains(logs.Lines, l => l.StartsWith("3642 ", StringComparison.Ordinal) && l.Contains(TaskId, StringComparison.Ordinal));
        var call = Assert.Single(ledger.Calls);
        Assert.NotNull(call.Result);
        Assert.Equal(60m, call.Units);
    }

    [Fact]
    public async Task A_crash_between_runway_answering_and_our_download_pays_for_one_generation()
    {
        GivenCreateAnswers();
        GivenTaskAnswers(Succeeded());
        server.Given(Request.Create().WithPath(OutputPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(500));
        var work = VideoTesting.Work();

        await Assert.ThrowsAsync<HttpRequestException>(() => Generate(work));
        GivenOutputServed(await VideoTesting.ClipAsync());
        var video = await Generate(work);

        Assert.True(VideoTesting.IsMp4(video.LocalPath));
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == CreatePath);
        var call = Assert.Single(ledger.Calls);
        Assert.Equal((TaskId, 60m, 0.60m), (call.VendorId, call.Units, call.Usd));
        Assert.NotNull(call.Result);
    }

    [Fact]
    public async Task A_redelivery_after_success_reuses_the_stored_clip_with_no_call_at_all()
    {
        GivenCreateAnswers();
        GivenTaskAnswers(Succeeded());
        var clip = await VideoTesting.ClipAsync();
        GivenOutputServed(clip);
        var work = VideoTesting.Work();
        await Generate(work);
        server.ResetLogEntries();

        var again = await Generator().GenerateAsync(new VideoPrompt("Bees over clover", VideoChoices.Vertical, 5, work), folder.File("again.mp4"), CancellationToken.None);

        Assert.Empty(server.LogEntries);
        Assert.Equal(clip, await File.ReadAllBytesAsync(again.LocalPath));
        Assert.Equal((5d, TaskId), (again.DurationSeconds, again.Credit.ClipId));
        Assert.Single(ledger.Calls);
        Assert.Contains(logs.Lines, l => l.StartsWith("3640 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_task_runway_no_longer_has_fails_the_beat()
    {
        GivenCreateAnswers();
        server.Given(Request.Create().WithPath(TaskPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(404).WithBody("""{"error":"Task not found"}"""));

        var error = await Assert.ThrowsAsync<VideoGenerationFailedException>(() => Generate(VideoTesting.Work()));

        Assert.Equal($"Runway no longer has task {TaskId} (deleted or expired)", error.Reason);
    }

    public void Dispose()
    {
        server.Stop();
        server.Dispose();
        folder.Dispose();
        loggers.Dispose();
        logs.Dispose();
    }

    private Task<GeneratedVideo> Generate(PaidWork work, Action<RunwayOptions>? configure = null) =>
        Generator(configure).GenerateAsync(new VideoPrompt("Bees over clover", VideoChoices.Vertical, 5, work), folder.File($"{Guid.NewGuid():N}.mp4"), CancellationToken.None);

    private RunwayVideoGenerator Generator(Action<RunwayOptions>? configure = null)
    {
        var options = new RunwayOptions
        {
            ApiKey = Key,
            BaseUrl = new Uri(server.Url!),
            PollInterval = TimeSpan.FromMilliseconds(5),
            PollJitter = TimeSpan.FromMilliseconds(2),
            MaxPollBackoff = TimeSpan.FromMilliseconds(20),
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxWaitPerDelivery = TimeSpan.FromSeconds(30),
            RequestTimeout = TimeSpan.FromSeconds(10),
            DownloadTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return new RunwayVideoGenerator(new TestHttpClients(), Options.Create(options), ledger, blobs, TimeProvider.System, loggers.CreateLogger<RunwayVideoGenerator>());
    }

    private void GivenCreateAnswers() =>
        server.Given(Request.Create().WithPath(CreatePath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"id":"{{TaskId}}"}"""));

    private void GivenTaskAnswers(string body) =>
        server.Given(Request.Create().WithPath(TaskPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(body));

    private void GivenOutputServed(byte[] clip) =>
        server.Given(Request.Create().WithPath(OutputPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "video/mp4").WithBody(clip));

    private static string TaskJson(string status, string more = "") =>
        $$"""{"id":"{{TaskId}}","status":"{{status}}","createdAt":"2026-12-07T11:00:00.000Z"{{more}}}""";

    private string Succeeded() => TaskJson("SUCCEEDED", $$""", "output": ["{{OutputUrl}}"]""");

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }
        await Task.Delay(200);
    }
}

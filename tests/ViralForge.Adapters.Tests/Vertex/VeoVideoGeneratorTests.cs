using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Tests.OpenAI;
using ViralForge.Adapters.Tests.Runway;
using ViralForge.Adapters.Tests.Voices;
using ViralForge.Adapters.Vertex;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;
using WireMock.Matchers;

namespace ViralForge.Adapters.Tests.Vertex;

/// <summary>The Veo generator against WireMock answering Vertex AI's long-running operation shapes.</summary>
public sealed class VeoVideoGeneratorTests : IDisposable
{
    private const string Project = "viralforge-test";
    private const string ModelPath = "/v1/projects/viralforge-test/locations/us-central1/publishers/google/models/veo-3.1-fast-generate-001";
    private const string StartPath = ModelPath + ":predictLongRunning";
    private const string FetchPath = ModelPath + ":fetchPredictOperation";
    private const string Operation = "projects/viralforge-test/locations/us-central1/publishers/google/models/veo-3.1-fast-generate-001/operations/a1b2c3d4-0000-4e5f-9a8b-7c6d5e4f3a2b";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly TempFolder folder = new();
    private readonly InMemoryCostLedger ledger = new();
    private readonly InMemoryBlobStore blobs = new();
    private readonly RecordingLogs logs = new();
    private readonly ILoggerFactory loggers;
    private readonly CountingTokens tokens = new();

    public VeoVideoGeneratorTests()
    {
        loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
    }

    [Fact]
    public async Task An_operation_is_started_polled_until_done_and_its_inline_clip_decoded_stored_and_priced()
    {
        var clip = await VideoTesting.ClipAsync();
        GivenStartAnswers();
        server.Given(Request.Create().WithPath(FetchPath).UsingPost()).InScenario("op").WillSetStateTo("done")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"name":"{{Operation}}"}"""));
        server.Given(Request.Create().WithPath(FetchPath).UsingPost()).InScenario("op").WhenStateIs("done")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Done($$"""{"bytesBase64Encoded":"{{Convert.ToBase64String(clip)}}","mimeType":"video/mp4"}""")));
        var work = VideoTesting.Work();
        var path = folder.File("beat-1.mp4");

        var video = await Generator().GenerateAsync(new VideoPrompt("Honey dripping from a comb, macro, warm light", VideoChoices.Vertical, 5.0, work), path, CancellationToken.None);

        Assert.Equal(clip, await File.ReadAllBytesAsync(path));
        Assert.Equal(6, video.DurationSeconds);
        Assert.Equal(("veo", Operation, "Generated with Google Veo"), (video.Credit.Provider, video.Credit.ClipId, video.Credit.Line()));
        var start = Assert.Single(server.LogEntries, e => e.RequestMessage.Path == StartPath);
        Assert.Equal("POST", start.RequestMessage.Method);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                {"instances":[{"prompt":"Honey dripping from a comb, macro, warm light"}],
                 "parameters":{"aspectRatio":"9:16","durationSeconds":6,"resolution":"720p","generateAudio":false,"sampleCount":1,"personGeneration":"allow_adult"}}
                """),
            JsonNode.Parse(start.RequestMessage.Body!)));
        var fetches = server.LogEntries.Where(e => e.RequestMessage.Path == FetchPath).ToList();
        Assert.Equal(2, fetches.Count);
        Assert.All(fetches, f => Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"operationName":"{{Operation}}"}"""), JsonNode.Parse(f.RequestMessage.Body!))));
        // A token is asked for on every request, so a long wait never outlives one.
        var sent = server.LogEntries.OrderBy(e => e.RequestMessage.DateTime).Select(e => e.RequestMessage.Headers!["Authorization"].Single()).ToList();
        Assert.Equal(["Bearer ya29.token-1", "Bearer ya29.token-2", "Bearer ya29.token-3"], sent);
        var call = Assert.Single(ledger.Calls);
        Assert.Equal((work, "veo", 6m, "seconds", 0.60m, new DateOnly(2026, 7, 1), Operation), (call.Work, call.Provider, call.Units, call.UnitKind, call.Usd, call.PricesOf, call.VendorId));
        var key = BlobKeys.For(work.JobId, StageName.Visuals, 1, "ai-beat-1.mp4");
        Assert.Equal(key, call.Result!.Value.GetProperty("blob").GetString());
        Assert.Equal([key], blobs.Keys);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("ya29.", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.StartsWith("3641 ", StringComparison.Ordinal) && l.Contains(Operation, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_storage_uri_the_clip_is_read_from_cloud_storage_with_the_token()
    {
        var clip = await VideoTesting.ClipAsync();
        GivenStartAnswers();
        GivenFetchAnswers(Done("""{"gcsUri":"gs://vf-veo-out/veo/123/sample_0.mp4","mimeType":"video/mp4"}"""));
        server.Given(Request.Create().WithPath(new WildcardMatcher("/storage/v1/b/vf-veo-out/o/*")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "video/mp4").WithBody(clip));

        var video = await Generate(VideoTesting.Work(), o => (o.StorageUri, o.GenerateAudio) = ("gs://vf-veo-out/veo/", true));

        Assert.Equal(clip, await File.ReadAllBytesAsync(video.LocalPath));
        var body = JsonNode.Parse(Assert.Single(server.LogEntries, e => e.RequestMessage.Path == StartPath).RequestMessage.Body!)!;
        Assert.Equal(("gs://vf-veo-out/veo/", true), (body["parameters"]!["storageUri"]!.GetValue<string>(), body["parameters"]!["generateAudio"]!.GetValue<bool>()));
        var read = Assert.Single(server.LogEntries, e => e.RequestMessage.Path!.StartsWith("/storage/", StringComparison.Ordinal));
        Assert.Contains("/storage/v1/b/vf-veo-out/o/veo%2F123%2Fsample_0.mp4?alt=media", read.RequestMessage.Url, StringComparison.Ordinal);
        Assert.StartsWith("Bearer ya29.token-", read.RequestMessage.Headers!["Authorization"].Single(), StringComparison.Ordinal);
        // With a soundtrack, the dearer rate.
        Assert.Equal(6m * 0.15m, Assert.Single(ledger.Calls).Usd);
    }

    [Theory]
    [InlineData(VideoChoices.Landscape, 9.0, "16:9", 8)]
    [InlineData(VideoChoices.Square, 3.0, "9:16", 4)]
    [InlineData(VideoChoices.Vertical, 7.0, "9:16", 8)]
    public async Task The_request_asks_16_9_or_9_16_and_the_nearest_of_4_6_8_seconds(string format, double seconds, string aspect, int duration)
    {
        GivenStartAnswers();
        GivenFetchAnswers(Done($$"""{"bytesBase64Encoded":"{{Convert.ToBase64String(await VideoTesting.ClipAsync())}}"}"""));

        await Generator().GenerateAsync(new VideoPrompt("Rain on a window", format, seconds, VideoTesting.Work()), folder.File("c.mp4"), CancellationToken.None);

        var parameters = JsonNode.Parse(Assert.Single(server.LogEntries, e => e.RequestMessage.Path == StartPath).RequestMessage.Body!)!["parameters"]!;
        Assert.Equal((aspect, duration), (parameters["aspectRatio"]!.GetValue<string>(), parameters["durationSeconds"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_clip_withheld_by_the_safety_filter_is_a_generation_failure_naming_the_reasons()
    {
        GivenStartAnswers();
        GivenFetchAnswers($$$"""
            {"name":"{{{Operation}}}","done":true,"response":{"@type":"type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse",
             "raiMediaFilteredCount":1,"raiMediaFilteredReasons":["Unable to generate videos that depict children. Support code 58061214."]}}
            """);

        var error = await Assert.ThrowsAsync<VideoGenerationFailedException>(() => Generate(VideoTesting.Work()));

        Assert.Equal("veo", error.Provider);
        Assert.Equal("Google's safety filter refused the clip: Unable to generate videos that depict children. Support code 58061214.", error.Reason);
        Assert.Null(Assert.Single(ledger.Calls).Result);
    }

    [Fact]
    public async Task An_operation_that_ended_in_an_error_is_a_generation_failure()
    {
        GivenStartAnswers();
        GivenFetchAnswers($$$"""{"name":"{{{Operation}}}","done":true,"error":{"code":13,"message":"Internal error encountered."}}""");

        var error = await Assert.ThrowsAsync<VideoGenerationFailedException>(() => Generate(VideoTesting.Work()));

        Assert.Equal("Veo failed the generation (code 13): Internal error encountered.", error.Reason);
    }

    [Fact]
    public async Task Polls_answered_429_503_or_malformed_json_are_waited_out()
    {
        GivenStartAnswers();
        server.Given(Request.Create().WithPath(FetchPath).UsingPost()).InScenario("flaky").WillSetStateTo("s1")
            .RespondWith(Response.Create().WithStatusCode(429).WithBody("""{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}"""));
        server.Given(Request.Create().WithPath(FetchPath).UsingPost()).InScenario("flaky").WhenStateIs("s1").WillSetStateTo("s2")
            .RespondWith(Response.Create().WithStatusCode(503));
        server.Given(Request.Create().WithPath(FetchPath).UsingPost()).InScenario("flaky").WhenStateIs("s2").WillSetStateTo("s3")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"name":"projects/x","done":tr"""));
        server.Given(Request.Create().WithPath(FetchPath).UsingPost()).InScenario("flaky").WhenStateIs("s3")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Done($$"""{"bytesBase64Encoded":"{{Convert.ToBase64String(await VideoTesting.ClipAsync())}}"}""")));

        var video = await Generate(VideoTesting.Work());

        Assert.True(VideoTesting.IsMp4(video.LocalPath));
        Assert.Equal(4, server.LogEntries.Count(e => e.RequestMessage.Path == FetchPath));
    }

    [Fact]
    public async Task A_prompt_vertex_refuses_is_a_generation_failure_and_a_missing_permission_is_permanent()
    {
        server.Given(Request.Create().WithPath(StartPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(400)
            .WithBody("""{"error":{"code":400,"message":"The prompt could not be submitted. This prompt contains words that violate Vertex AI's usage guidelines.","status":"INVALID_ARGUMENT"}}"""));

        var refused = await Assert.ThrowsAsync<VideoGenerationFailedException>(() => Generate(VideoTesting.Work()));

        Assert.Contains("violate Vertex AI's usage guidelines", refused.Reason, StringComparison.Ordinal);
        server.Reset();
        server.Given(Request.Create().WithPath(StartPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(403)
            .WithBody("""{"error":{"code":403,"message":"Permission 'aiplatform.endpoints.predict' denied","status":"PERMISSION_DENIED"}}"""));

        var denied = await Assert.ThrowsAsync<PermanentStageException>(() => Generate(VideoTesting.Work()));

        Assert.Contains("roles/aiplatform.user in project viralforge-test (Veo:Project)", denied.Message, StringComparison.Ordinal);
        Assert.Empty(ledger.Calls);
    }

    [Fact]
    public async Task A_start_that_times_out_is_not_sent_again()
    {
        server.Given(Request.Create().WithPath(StartPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(2)).WithBody($$"""{"name":"{{Operation}}"}"""));

        var error = await Assert.ThrowsAsync<VideoGenerationFailedException>(() => Generate(VideoTesting.Work(), o => o.RequestTimeout = TimeSpan.FromMilliseconds(200)));

        Assert.Contains("may have started a paid generation", error.Reason, StringComparison.Ordinal);
        for (var i = 0; i < 100 && !server.LogEntries.Any(); i++)
        {
            await Task.Delay(50);
        }
        await Task.Delay(200);
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == StartPath);
        Assert.Empty(ledger.Calls);
    }

    [Fact]
    public async Task Past_the_wait_of_a_delivery_the_same_operation_is_resumed_and_never_started_again()
    {
        GivenStartAnswers();
        GivenFetchAnswers($$"""{"name":"{{Operation}}","done":false}""");
        var work = VideoTesting.Work();

        var still = await Assert.ThrowsAsync<WorkStillRunningException>(() => Generate(work, o => o.MaxWaitPerDelivery = TimeSpan.FromMilliseconds(150)));

        Assert.Equal(TimeSpan.FromSeconds(30), still.RetryAfter);
        Assert.Equal(Operation, Assert.Single(ledger.Calls).VendorId);
        GivenFetchAnswers(Done($$"""{"bytesBase64Encoded":"{{Convert.ToBase64String(await VideoTesting.ClipAsync())}}"}"""));

        var video = await Generate(work);

        Assert.True(VideoTesting.IsMp4(video.LocalPath));
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == StartPath);
        Assert.NotNull(Assert.Single(ledger.Calls).Result);
    }

    [Fact]
    public async Task A_redelivery_after_success_makes_no_call_at_all()
    {
        var clip = await VideoTesting.ClipAsync();
        GivenStartAnswers();
        GivenFetchAnswers(Done($$"""{"bytesBase64Encoded":"{{Convert.ToBase64String(clip)}}"}"""));
        var work = VideoTesting.Work();
        await Generate(work);
        server.ResetLogEntries();
        var before = tokens.Issued;

        var again = await Generate(work);

        Assert.Empty(server.LogEntries);
        Assert.Equal(before, tokens.Issued);
        Assert.Equal(clip, await File.ReadAllBytesAsync(again.LocalPath));
        Assert.Single(ledger.Calls);
    }

    [Fact]
    public void A_gs_uri_splits_into_bucket_and_object_and_anything_else_is_refused()
    {
        Assert.Equal(("b", "a/b c.mp4"), VeoVideoGenerator.ParseGcsUri("gs://b/a/b c.mp4"));
        Assert.Throws<InvalidDataException>(() => VeoVideoGenerator.ParseGcsUri("https://example.com/x.mp4"));
        Assert.Throws<InvalidDataException>(() => VeoVideoGenerator.ParseGcsUri("gs://bucket/"));
    }

    public void Dispose()
    {
        server.Stop();
        server.Dispose();
        folder.Dispose();
        loggers.Dispose();
        logs.Dispose();
    }

    private Task<GeneratedVideo> Generate(PaidWork work, Action<VeoOptions>? configure = null) =>
        Generator(configure).GenerateAsync(new VideoPrompt("Rain on a window", VideoChoices.Vertical, 6, work), folder.File($"{Guid.NewGuid():N}.mp4"), CancellationToken.None);

    private VeoVideoGenerator Generator(Action<VeoOptions>? configure = null)
    {
        var options = new VeoOptions
        {
            Project = Project,
            BaseUrl = server.Url!,
            StorageBaseUrl = new Uri(server.Url!),
            PollInterval = TimeSpan.FromMilliseconds(5),
            PollJitter = TimeSpan.FromMilliseconds(2),
            MaxPollBackoff = TimeSpan.FromMilliseconds(20),
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxWaitPerDelivery = TimeSpan.FromSeconds(30),
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return new VeoVideoGenerator(new TestHttpClients(), Options.Create(options), tokens, ledger, blobs, TimeProvider.System, loggers.CreateLogger<VeoVideoGenerator>());
    }

    private void GivenStartAnswers() =>
        server.Given(Request.Create().WithPath(StartPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"name":"{{Operation}}"}"""));

    private void GivenFetchAnswers(string body) =>
        server.Given(Request.Create().WithPath(FetchPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(body));

    private static string Done(string video) =>
        $$$"""{"name":"{{{Operation}}}","done":true,"response":{"@type":"type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse","raiMediaFilteredCount":0,"videos":[{{{video}}}]}}""";

    /// <summary>A token source that gives a new token each time, as one refreshed across a long wait would.</summary>
    private sealed class CountingTokens : IGoogleAccessTokenSource
    {
        private int issued;

        public int Issued => issued;

        public Task<string> GetAccessTokenAsync(CancellationToken cancellationToken) =>
            Task.FromResult($"ya29.token-{Interlocked.Increment(ref issued)}");
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Local;
using ViralForge.Adapters.Publishing;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Providers;
using ViralForge.Core.Stages;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;

namespace ViralForge.Adapters.Tests.Publishing;

/// <summary>The router between the platform publishers and the local folder: which gets what, deferrals, progress, take-down.</summary>
public sealed class PublisherRouterTests : IDisposable
{
    private static readonly DateTimeOffset Window = new(2026, 12, 8, 8, 0, 0, TimeSpan.Zero);

    private readonly TempFolder folder = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly string video;

    public PublisherRouterTests()
    {
        video = Path.Combine(folder.Path, "video.mp4");
        File.WriteAllBytes(video, new byte[300_000]);
    }

    [Fact]
    public async Task With_no_platform_connected_everything_goes_to_the_local_folder_as_before()
    {
        var router = Router();

        var published = await router.PublishAsync(Request(Platforms.Both), CancellationToken.None);

        var local = Assert.Single(published);
        Assert.Equal("local", local.Platform);
        Assert.True(File.Exists(new Uri(local.Url).LocalPath));
    }

    [Fact]
    public async Task A_connected_platform_gets_its_upload_the_other_goes_to_the_folder_and_progress_is_shared_between_them()
    {
        var youtube = new ScriptedPlatform("youtube");
        var router = Router(youtube);
        var progress = new List<double>();

        var published = await router.PublishAsync(Request(Platforms.Both), CancellationToken.None, new Collect(progress));

        Assert.Equal(["youtube", "local"], published.Select(p => p.Platform));
        Assert.Equal(Platforms.Both, youtube.Requests.Single().Platforms);
        Assert.Contains(0.25, progress);
        Assert.Equal(progress.Order(), progress);
        Assert.Equal(1.0, progress[^1]);
        var manifest = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(new Uri(published[1].Url).LocalPath)!, "manifest.json"));
        Assert.Contains("\"tiktok\"", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("\"youtube\"", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_platform_waiting_for_its_quota_does_not_hold_up_the_other_and_the_deferral_comes_after()
    {
        var youtube = new ScriptedPlatform("youtube") { Deferral = new StageDeferredException("YouTube's daily upload quota is used up; the upload goes at 2026-12-08 08:00 UTC", Window) };
        var tiktok = new ScriptedPlatform("tiktok");
        var router = Router(youtube, tiktok);

        var deferral = await Assert.ThrowsAsync<StageDeferredException>(() => router.PublishAsync(Request(Platforms.Both), CancellationToken.None));

        Assert.Equal(Window, deferral.Until);
        Assert.Single(tiktok.Requests);
    }

    [Fact]
    public async Task A_reconnect_needed_after_another_platform_published_keeps_that_video_and_waits_for_the_reconnect_without_failing()
    {
        var youtube = new ScriptedPlatform("youtube");
        var tiktok = new ScriptedPlatform("tiktok") { Reconnect = new ReconnectRequiredException("tiktok", "catfacts", "TikTok refused the stored grant (invalid_grant)") };
        var router = Router(youtube, tiktok);
        var request = Request(Platforms.Both);

        // Not a PermanentStageException: the job stays retryable, and its row says what to do and what is up.
        var deferral = await Assert.ThrowsAsync<StageDeferredException>(() => router.PublishAsync(request, CancellationToken.None));

        Assert.Equal(time.GetUtcNow().AddHours(2), deferral.Until);
        Assert.StartsWith("Reconnect TikTok (catfacts): TikTok refused the stored grant (invalid_grant); run ./vf connect tiktok; ", deferral.Message, StringComparison.Ordinal);
        Assert.Contains("TikTok is tried again at 2026-12-07 14:00 UTC, and every 120 min until it is connected (Publishing:ReconnectRetry)", deferral.Message, StringComparison.Ordinal);
        Assert.EndsWith("YouTube is uploaded and stays up: https://youtube.example/v/1", deferral.Message, StringComparison.Ordinal);

        // Once connected again, the redelivery publishes TikTok (YouTube answers from its ledger record, as its own tests show).
        tiktok.Reconnect = null;
        var published = await router.PublishAsync(request, CancellationToken.None);
        Assert.Equal(["youtube", "tiktok"], published.Select(p => p.Platform));
        Assert.Equal(2, tiktok.Requests.Count);
    }

    [Fact]
    public async Task A_reconnect_needed_before_anything_is_up_fails_the_row_with_the_how_and_uploads_nowhere_else()
    {
        var youtube = new ScriptedPlatform("youtube") { Reconnect = new ReconnectRequiredException("youtube", "Cat Facts", "YouTube refused the stored grant (invalid_grant)") };
        var tiktok = new ScriptedPlatform("tiktok");
        var router = Router(youtube, tiktok);

        var failure = await Assert.ThrowsAsync<PermanentStageException>(() => router.PublishAsync(Request(Platforms.Both), CancellationToken.None));

        Assert.Equal("Reconnect YouTube (Cat Facts): YouTube refused the stored grant (invalid_grant); run ./vf connect youtube", failure.Message);
        Assert.Empty(tiktok.Requests);
    }

    [Fact]
    public async Task A_deferral_after_another_platform_published_says_that_video_is_up()
    {
        var youtube = new ScriptedPlatform("youtube");
        var tiktok = new ScriptedPlatform("tiktok") { Deferral = new StageDeferredException("TikTok account catfacts has made 15 of its 15 posts today", Window) };

        var deferral = await Assert.ThrowsAsync<StageDeferredException>(() => Router(youtube, tiktok).PublishAsync(Request(Platforms.Both), CancellationToken.None));

        Assert.Equal("TikTok account catfacts has made 15 of its 15 posts today; YouTube is uploaded and stays up: https://youtube.example/v/1", deferral.Message);
        Assert.Equal(Window, deferral.Until);
    }

    [Fact]
    public async Task Take_down_asks_each_platform_and_returns_what_must_be_removed_by_hand()
    {
        var tiktok = new ScriptedPlatform("tiktok") { ByHand = "remove by hand: https://www.tiktok.com/@cats/video/1" };
        var router = Router(tiktok);
        var work = new PaidWork(Guid.NewGuid(), StageName.Publish, 1, PublishStage.TakeDownCall);

        var byHand = await router.TakeDownAsync(work,
            [new PublishedVideo("tiktok", "https://www.tiktok.com/@cats/video/1", "1"), new PublishedVideo("youtube", "https://www.youtube.com/watch?v=x", "x")],
            CancellationToken.None);

        Assert.Equal(2, byHand.Count);
        Assert.Equal("remove by hand: https://www.tiktok.com/@cats/video/1", byHand[0]);
        Assert.StartsWith("remove by hand: https://www.youtube.com/watch?v=x", byHand[1], StringComparison.Ordinal);
        Assert.Equal(work, tiktok.TakeDownWork);
    }

    [Fact]
    public void YouTube_is_registered_and_reported_at_start_up_only_when_its_OAuth_client_is_set()
    {
        static ServiceProvider Build(Dictionary<string, string?> values) => new ServiceCollection()
            .AddLogging()
            .AddSingleton<IPlatformTokens>(new YouTube.FakePlatformTokens("t"))
            .AddSingleton<ICostLedger>(new InMemoryCostLedger())
            .AddSingleton(Options.Create(new ViralForgeOptions()))
            .AddPublishing(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            // What AddOfflineProviders adds after it, as the profiles do.
            .AddProviderChoice(StageName.Publish, "local folder (offline)")
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        using var offline = Build([]);
        using var connected = Build(new() { ["YouTube:ClientId"] = "1234-test.apps.googleusercontent.com" });

        Assert.IsType<PublisherRouter>(offline.GetRequiredService<IPublisher>());
        Assert.Empty(((PublisherRouter)offline.GetRequiredService<IPublisher>()).Connected);
        Assert.Equal("local folder (offline)", ProviderChoices.InEffect(offline.GetServices<ProviderChoice>()).Single(c => c.Stage == StageName.Publish).Provider);
        Assert.Equal(["youtube"], ((PublisherRouter)connected.GetRequiredService<IPublisher>()).Connected);
        Assert.StartsWith("youtube", ProviderChoices.InEffect(connected.GetServices<ProviderChoice>()).Single(c => c.Stage == StageName.Publish).Provider, StringComparison.Ordinal);
    }

    private PublisherRouter Router(params IPlatformPublisher[] platforms) =>
        new(platforms, new LocalFolderPublisher(Options.Create(new ViralForgeOptions { WorkFolder = folder.Path }), time), time,
            Options.Create(new ViralForge.Adapters.Accounts.PublishingAccountsOptions { ReconnectRetry = TimeSpan.FromHours(2) }));

    private PublishRequest Request(Platforms platforms)
    {
        var job = Guid.NewGuid();
        return new PublishRequest(job, video, "Cats and boxes", "Why.", ["cats"], platforms, null, Work: new PaidWork(job, StageName.Publish, 1, PublishStage.PublishCall));
    }

    public void Dispose() => folder.Dispose();

    private sealed class Collect(List<double> values) : IProgress<double>
    {
        public void Report(double value) => values.Add(value);
    }

    /// <summary>A platform publisher a test scripts: it reports half then all, and publishes, defers, or says what to remove by hand.</summary>
    private sealed class ScriptedPlatform(string platform) : IPlatformPublisher
    {
        public string Platform => platform;

        public List<PublishRequest> Requests { get; } = [];

        public StageDeferredException? Deferral { get; init; }

        public ReconnectRequiredException? Reconnect { get; set; }

        public string? ByHand { get; init; }

        public PaidWork? TakeDownWork { get; private set; }

        public Task<PublishedVideo> PublishAsync(PublishRequest request, IProgress<double>? progress, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            if (Deferral is { } deferral)
            {
                throw deferral;
            }
            if (Reconnect is { } reconnect)
            {
                throw reconnect;
            }
            progress?.Report(0.5);
            progress?.Report(1);
            return Task.FromResult(new PublishedVideo(platform, $"https://{platform}.example/v/1", "1"));
        }

        public Task<string?> UnpublishAsync(PublishedVideo video, CancellationToken cancellationToken) => Task.FromResult(ByHand);

        public Task<string?> UnpublishAsync(PublishedVideo video, PaidWork? work, CancellationToken cancellationToken)
        {
            TakeDownWork = work;
            return Task.FromResult(ByHand);
        }
    }
}

using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Local;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Local;

/// <summary>The offline publisher: a copy that reports how far it has got, and a manifest that says when the video goes live.</summary>
public sealed class LocalFolderPublisherTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 21, 0, 0, TimeSpan.Zero);

    private readonly TempFolder folder = new();
    private readonly FakeTimeProvider time = new(Now);

    public void Dispose() => folder.Dispose();

    private LocalFolderPublisher Publisher() =>
        new(Microsoft.Extensions.Options.Options.Create(new ViralForgeOptions { WorkFolder = folder.Path }), time);

    private PublishRequest Request(DateTimeOffset? publishAt, int bytes = 1000)
    {
        var video = folder.File($"render-{Guid.NewGuid():N}.mp4");
        File.WriteAllBytes(video, [.. Enumerable.Range(0, bytes).Select(i => (byte)i)]);
        return new PublishRequest(Guid.NewGuid(), video, "Desk stretches", "Five stretches.", ["desk"], Platforms.YouTube, publishAt);
    }

    private JsonElement Manifest(Guid jobId) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "published", jobId.ToString("N"), "manifest.json"))).RootElement;

    [Fact]
    public async Task A_future_publish_at_is_a_scheduled_manifest_with_its_go_live_time()
    {
        var request = Request(new DateTimeOffset(2026, 12, 8, 17, 0, 0, TimeSpan.Zero));

        await Publisher().PublishAsync(request, CancellationToken.None);

        var manifest = Manifest(request.JobId);
        Assert.Equal("scheduled", manifest.GetProperty("status").GetString());
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 17, 0, 0, TimeSpan.Zero), manifest.GetProperty("liveAt").GetDateTimeOffset());
        Assert.Equal(Now, manifest.GetProperty("publishedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Without_a_publish_at_the_manifest_is_published_and_live_now()
    {
        var request = Request(null);

        await Publisher().PublishAsync(request, CancellationToken.None);

        var manifest = Manifest(request.JobId);
        Assert.Equal("published", manifest.GetProperty("status").GetString());
        Assert.Equal(Now, manifest.GetProperty("liveAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_copy_reports_its_share_chunk_by_chunk_up_to_all_of_it()
    {
        var request = Request(null, bytes: (LocalFolderPublisher.ChunkBytes * 3) + 100);
        var shares = new List<double>();

        var published = await Publisher().PublishAsync(request, CancellationToken.None, new Recorder(shares));

        Assert.True(shares.Count >= 4, string.Join(", ", shares));
        Assert.Equal(shares.Order(), shares);
        Assert.InRange(shares[0], 0.3, 0.34);
        Assert.Equal(1.0, shares[^1]);
        Assert.Equal(new FileInfo(request.VideoPath).Length, new FileInfo(new Uri(Assert.Single(published).Url).LocalPath).Length);
    }

    /// <summary>Synchronous, unlike Progress&lt;T&gt;, which posts to the thread pool and would race the assertions.</summary>
    private sealed class Recorder(List<double> shares) : IProgress<double>
    {
        public void Report(double value) => shares.Add(value);
    }

    [Fact]
    public async Task The_manifest_keeps_who_made_each_stock_clip()
    {
        var credit = new ClipCredit("pexels", "857251", "Jane Doe", "https://www.pexels.com/@jane", "https://www.pexels.com/video/857251/", "Pexels License");
        var request = Request(null) with { Credits = [credit] };

        await Publisher().PublishAsync(request, CancellationToken.None);

        var credits = Manifest(request.JobId).GetProperty("credits");
        Assert.Equal(1, credits.GetArrayLength());
        Assert.Equal("Jane Doe", credits[0].GetProperty("author").GetString());
        Assert.Equal("https://www.pexels.com/video/857251/", credits[0].GetProperty("pageUrl").GetString());
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Pexels;
using ViralForge.Adapters.Pixabay;
using ViralForge.Adapters.Visuals;
using ViralForge.Core.Ports;
using ViralForge.Render;
using ViralForge.Testing.InMemory;
using ViralForge.Testing.Media;

namespace ViralForge.Adapters.Tests.Visuals;

/// <summary>Stock clients on WireMock, documented answers of Pexels and Pixabay, and small real MP4 files made by ffmpeg.</summary>
public static class StockTesting
{
    public const string PexelsKey = "pexels-test-key-0123456789abcdefghij";
    public const string PixabayKey = "12345678-pixabaysecretkey0123456789";

    private static readonly SemaphoreSlim MakeLock = new(1, 1);
    private static readonly string ClipFolder = Path.Combine(Path.GetTempPath(), "vf-tests", "stock-clips");

    public static FfmpegRunner Runner { get; } = MediaTesting.Runner(MediaTesting.Options(360, 640));

    /// <summary>A small H.264 test pattern of the size, made once per process and kept (a few tens of KB).</summary>
    public static async Task<byte[]> Mp4Async(int width, int height, double seconds = 2)
    {
        var path = Path.Combine(ClipFolder, string.Create(CultureInfo.InvariantCulture, $"testsrc-{width}x{height}-{seconds}.mp4"));
        await MakeLock.WaitAsync();
        try
        {
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(ClipFolder);
                var partial = path + $".{Guid.NewGuid():N}.mp4";
                await Runner.RunAsync(
                    [.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc=size={width}x{height}:rate=25:duration={seconds}"),
                     "-c:v", "libx264", "-preset", "ultrafast", "-crf", "35", "-pix_fmt", "yuv420p", "-y", partial],
                    CancellationToken.None);
                File.Move(partial, path, overwrite: true);
            }
        }
        finally
        {
            MakeLock.Release();
        }
        return await File.ReadAllBytesAsync(path);
    }

    /// <summary>Width, height and duration of a video file, read by ffprobe.</summary>
    public static async Task<(int Width, int Height, double Seconds)> ProbeAsync(string path)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height:format=duration", "-of", "json", path])
        { RedirectStandardOutput = true })!;
        var json = JsonNode.Parse(await process.StandardOutput.ReadToEndAsync())!;
        await process.WaitForExitAsync();
        var stream = json["streams"]![0]!;
        return (stream["width"]!.GetValue<int>(), stream["height"]!.GetValue<int>(),
            double.Parse(json["format"]!["duration"]!.GetValue<string>(), CultureInfo.InvariantCulture));
    }

    public static PexelsClient Pexels(WireMockServer server, IBlobStore? blobs = null, TimeProvider? time = null, Action<PexelsOptions>? configure = null, VisualsOptions? visuals = null)
    {
        var options = new PexelsOptions { ApiKey = PexelsKey, BaseUrl = new Uri(server.Urls[0] + "/"), RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        configure?.Invoke(options);
        var visualOptions = Options.Create(visuals ?? new VisualsOptions());
        var clock = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        return new PexelsClient(new TestHttpClientsForStock(), Options.Create(options), visualOptions, new StockSearchCache(blobs ?? new InMemoryBlobStore(), visualOptions, clock), clock);
    }

    public static PixabayClient Pixabay(WireMockServer server, IBlobStore? blobs = null, TimeProvider? time = null, Action<PixabayOptions>? configure = null, VisualsOptions? visuals = null, IHttpClientFactory? clients = null)
    {
        var options = new PixabayOptions { ApiKey = PixabayKey, BaseUrl = new Uri(server.Urls[0] + "/"), RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        configure?.Invoke(options);
        var visualOptions = Options.Create(visuals ?? new VisualsOptions());
        var clock = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        return new PixabayClient(clients ?? new TestHttpClientsForStock(), Options.Create(options), visualOptions, new StockSearchCache(blobs ?? new InMemoryBlobStore(), visualOptions, clock), clock);
    }

    /// <summary>One Pexels video as the API documents it (pexels-javascript types.ts), its files given as (quality, width, height, link).</summary>
    public static JsonObject PexelsVideo(long id, int width, int height, double duration, string author, params (string Quality, int? Width, int? Height, string Link)[] files) => new()
    {
        ["id"] = id,
        ["width"] = width,
        ["height"] = height,
        ["url"] = $"https://www.pexels.com/video/clip-{id}/",
        ["image"] = $"https://images.pexels.com/videos/{id}/pictures/preview-0.jpg",
        ["duration"] = duration,
        ["user"] = new JsonObject { ["id"] = 7, ["name"] = author, ["url"] = $"https://www.pexels.com/@{author.ToLowerInvariant().Replace(' ', '-')}" },
        ["video_files"] = new JsonArray([.. files.Select((f, i) => (JsonNode)new JsonObject
        {
            ["id"] = id * 10 + i,
            ["quality"] = f.Quality,
            ["file_type"] = f.Quality == "hls" ? "video/mp4" : "video/mp4",
            ["width"] = f.Width,
            ["height"] = f.Height,
            ["fps"] = f.Width is null ? null : 29.97,
            ["link"] = f.Link,
        })]),
        ["video_pictures"] = new JsonArray(new JsonObject { ["id"] = 1, ["picture"] = "https://images.pexels.com/p.jpg", ["nr"] = 0 }),
    };

    /// <summary>A Pexels search answer around the videos.</summary>
    public static string PexelsPage(params JsonObject[] videos) => new JsonObject
    {
        ["page"] = 1,
        ["per_page"] = 40,
        ["total_results"] = videos.Length,
        ["url"] = "https://www.pexels.com/search/videos/test/",
        ["videos"] = new JsonArray([.. videos.Cast<JsonNode>()]),
    }.ToJsonString();

    /// <summary>One Pixabay hit as the API documents it; a null size is left out, ("", 0, 0) is the empty large of a clip without 4K.</summary>
    public static JsonObject PixabayHit(long id, double duration, string user, (string Url, int W, int H)? large, (string Url, int W, int H)? medium, (string Url, int W, int H)? small = null)
    {
        var videos = new JsonObject();
        void Add(string name, (string Url, int W, int H)? file)
        {
            if (file is { } f)
            {
                videos[name] = new JsonObject { ["url"] = f.Url, ["width"] = f.W, ["height"] = f.H, ["size"] = f.Url.Length == 0 ? 0 : 123456, ["thumbnail"] = "https://cdn.pixabay.com/t.jpg" };
            }
        }
        Add("large", large);
        Add("medium", medium);
        Add("small", small);
        return new JsonObject
        {
            ["id"] = id,
            ["pageURL"] = $"https://pixabay.com/videos/clip-{id}/",
            ["type"] = "film",
            ["tags"] = "ocean, waves",
            ["duration"] = duration,
            ["videos"] = videos,
            ["views"] = 1000,
            ["downloads"] = 100,
            ["likes"] = 10,
            ["comments"] = 1,
            ["user_id"] = 4242,
            ["user"] = user,
            ["userImageURL"] = "https://cdn.pixabay.com/u.jpg",
        };
    }

    public static string PixabayPage(params JsonObject[] hits) => new JsonObject
    {
        ["total"] = hits.Length,
        ["totalHits"] = hits.Length,
        ["hits"] = new JsonArray([.. hits.Cast<JsonNode>()]),
    }.ToJsonString();
}

/// <summary>One new HttpClient per name (the clients set their base address and timeout).</summary>
public sealed class TestHttpClientsForStock : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new();
}

/// <summary>Every log line of every category, formatted, with its state's values.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            owner.Lines.Enqueue($"scope {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.Lines.Enqueue($"{formatter(state, exception)} {values} {exception}");
        }
    }
}

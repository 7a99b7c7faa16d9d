using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;
using ViralForge.Testing.Media;

namespace ViralForge.Render.Tests;

/// <summary>
/// The render stage of one job run for real, as the pipeline runs it: its visuals (a plain grey clip) and narration (a
/// tone for the first second, then silence) in an in-memory blob store, planned by <see cref="RenderStage"/> from the
/// row's choices and rendered by <see cref="InProcessRenderer"/> with ffmpeg. Frames are small (long side 640) to keep
/// the renders quick.
/// </summary>
public sealed class StageRender : IDisposable
{
    /// <summary>The clip's grey, so anything drawn over it (captions, watermark) stands out.</summary>
    public static readonly (byte R, byte G, byte B) Grey = (0x80, 0x80, 0x80);

    /// <summary>The narration: a tone until 1 s, then silence until <see cref="NarrationSeconds"/>.</summary>
    public const double NarrationSeconds = 3.0;

    public const double ToneSeconds = 1.0;

    /// <summary>Words spoken (as far as captions know) over the first 2.5 s.</summary>
    public static IReadOnlyList<WordTiming> Words { get; } =
        [new("Cats", 0.0, 0.6), new("sleep", 0.6, 1.2), new("all", 1.2, 1.8), new("day", 1.8, 2.5)];

    private readonly TempFolder scratch = new();

    public StageRender(Action<ViralForgeOptions>? configure = null)
    {
        Settings.WorkFolder = scratch.File("work");
        Settings.Media.Width = 360;
        Settings.Media.Height = 640;
        // The beds are the same in every test: made once per test run, in a folder every test shares.
        Settings.Media.MusicFolder = Path.Combine(Path.GetTempPath(), "vf-tests-music-beds");
        configure?.Invoke(Settings);
        Options = Microsoft.Extensions.Options.Options.Create(Settings);
        Runner = MediaTesting.Runner(Options);
    }

    public ViralForgeOptions Settings { get; } = new();

    public IOptions<ViralForgeOptions> Options { get; }

    public FfmpegRunner Runner { get; }

    public InMemoryJobStore Store { get; } = new(TimeProvider.System);

    public InMemoryBlobStore Blobs { get; } = new();

    public string Folder => scratch.Path;

    public static VideoRequest Request(
        string format = VideoChoices.DefaultFormat,
        string captionStyle = VideoChoices.DefaultCaptionStyle,
        string watermark = VideoChoices.WatermarkOn,
        string music = VideoChoices.MusicNone) =>
        new("Why cats sleep", Platforms.YouTube, 30, "clean", "default", "en", null, [], "", music, captionStyle, format, watermark);

    /// <summary>Stores a file the person put in the blob store (a logo, a song).</summary>
    public Task PutAsync(string key, string localPath) => Blobs.PutFileAsync(key, localPath, CancellationToken.None);

    /// <summary>The job's visuals and voice done, and its render stage's context.</summary>
    public Task<StageContext> ContextAsync(VideoRequest request) =>
        ContextAsync(request, "beat-01.mp4", path => MediaTesting.MakeClipAsync(Runner, path, 640, 640, NarrationSeconds + 1, "0x808080"));

    /// <summary>The same with the one visual made by <paramref name="makeVisual"/> and stored under <paramref name="visualFileName"/> (a still, a broken download).</summary>
    public async Task<StageContext> ContextAsync(VideoRequest request, string visualFileName, Func<string, Task> makeVisual)
    {
        ArgumentNullException.ThrowIfNull(makeVisual);
        var job = (await Store.SubmitAsync("memory:ideas", $"hash-{Guid.NewGuid():N}", request, CancellationToken.None)).Job;
        var clip = scratch.File($"clip-{Guid.NewGuid():N}{Path.GetExtension(visualFileName)}");
        await makeVisual(clip);
        var narration = scratch.File($"narration-{Guid.NewGuid():N}.wav");
        await Runner.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-f", "lavfi",
                "-i", string.Create(CultureInfo.InvariantCulture, $"aevalsrc='if(lt(t,{ToneSeconds}),0.5*sin(2*PI*330*t),0)':s=48000:d={NarrationSeconds}"),
                "-ac", "1", "-y", narration],
            CancellationToken.None);
        var clipKey = BlobKeys.For(job.Id, StageName.Visuals, 1, visualFileName);
        var narrationKey = BlobKeys.For(job.Id, StageName.Voice, 1, "narration.wav");
        await Blobs.PutFileAsync(clipKey, clip, CancellationToken.None);
        await Blobs.PutFileAsync(narrationKey, narration, CancellationToken.None);
        await CompleteAsync(job, StageName.Visuals, new VisualsOutput([new StoredClip(0, clipKey, NarrationSeconds)]));
        await CompleteAsync(job, StageName.Voice, new VoiceOutput(narrationKey, NarrationSeconds, "default", "en", Words));
        var folder = scratch.File($"attempt-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return new StageContext(job, StageName.Render, 1, folder, Store, Blobs);
    }

    public RenderStage Stage() =>
        new(new InProcessRenderer(new FfmpegRenderer(Options, Runner, TimeProvider.System, NullLogger<FfmpegRenderer>.Instance), Blobs, Runner, Options), Options);

    /// <summary>Runs the render stage for a job with this row and returns the finished MP4's path.</summary>
    public async Task<string> RenderAsync(VideoRequest request)
    {
        var context = await ContextAsync(request);
        var result = await Stage().RunAsync(context, CancellationToken.None);
        return result.Files.Single(f => f.Kind == RenderStage.VideoKind).LocalPath!;
    }

    /// <summary>The frame at <paramref name="seconds"/> as RGB bytes.</summary>
    public Task<byte[]> FrameAsync(string video, double seconds) => MediaTesting.FrameRgbAsync(Runner, video, seconds, scratch.Path);

    /// <summary>The RMS level (dBFS) of the video's audio between two times, from its decoded samples.</summary>
    public async Task<double> LevelDbAsync(string video, double from, double to)
    {
        var raw = scratch.File($"audio-{Guid.NewGuid():N}.raw");
        await Runner.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-ss", N(from), "-t", N(to - from), "-i", video, "-vn", "-ac", "1", "-ar", "48000", "-f", "s16le", "-y", raw],
            CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(raw);
        var sum = 0.0;
        var count = bytes.Length / 2;
        for (var i = 0; i + 1 < bytes.Length; i += 2)
        {
            var sample = BitConverter.ToInt16(bytes, i) / 32768.0;
            sum += sample * sample;
        }

        return count == 0 || sum == 0 ? double.NegativeInfinity : 10 * Math.Log10(sum / count);
    }

    public void Dispose() => scratch.Dispose();

    private async Task CompleteAsync<T>(Job job, StageName stage, T output)
    {
        await Store.ClaimStageAsync(job.Id, stage, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        await Store.CompleteStageAsync(
            new StageCompletion(job.Id, stage, 1, StageJson.ToElement(output), [], JobStatus.ForStage(StageOrder.Next(stage)!.Value), stage.Wire()),
            CancellationToken.None);
    }

    private static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

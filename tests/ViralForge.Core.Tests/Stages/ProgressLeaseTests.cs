using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Testing.InMemory;

namespace ViralForge.Core.Tests.Stages;

/// <summary>A render's lease renews while its ffmpeg advances; a hung ffmpeg loses the lease and is stopped.</summary>
public sealed class ProgressLeaseTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider time = new();
    private readonly Channel<DateTimeOffset> renewals = Channel.CreateUnbounded<DateTimeOffset>();

    [Fact]
    public async Task The_lease_renews_while_the_output_time_advances_and_stops_once_it_stands_still()
    {
        using var progress = new StageProgress(time);
        using var heartbeat = new LeaseHeartbeat(Record, Interval, time, NullLogger.Instance, progress, Stall);
        var start = time.GetUtcNow();
        progress.Report(TimeSpan.Zero); // ffmpeg started

        // Advancing: every tick renews, well past the stall window.
        for (var tick = 1; tick <= 6; tick++)
        {
            progress.Report(TimeSpan.FromSeconds(tick));
            time.Advance(Interval);
            Assert.Equal(start + tick * Interval, await NextRenewalAsync());
        }
        Assert.False(progress.Stalled.IsCancellationRequested);

        // Hung: the same output time over and over is no progress. The last advance was at 15 s: the ticks at 21 and 24 s
        // (6 and 9 s later) still renew, the one at 27 s (12 s, past the 10 s stall) does not.
        for (var tick = 7; tick <= 8; tick++)
        {
            progress.Report(TimeSpan.FromSeconds(6));
            time.Advance(Interval);
            Assert.Equal(start + tick * Interval, await NextRenewalAsync());
        }
        time.Advance(Interval);
        await WaitUntilAsync(() => progress.Stalled.IsCancellationRequested);

        time.Advance(10 * Interval);
        Assert.False(renewals.Reader.TryRead(out _), "renewed after the work stopped advancing");
    }

    [Fact]
    public async Task Work_that_reports_no_progress_keeps_renewing_on_the_timer()
    {
        using var progress = new StageProgress(time);
        using var heartbeat = new LeaseHeartbeat(Record, Interval, time, NullLogger.Instance, progress, Stall);

        for (var tick = 1; tick <= 8; tick++)
        {
            time.Advance(Interval);
            await NextRenewalAsync();
        }

        Assert.False(progress.Stalled.IsCancellationRequested);
    }

    [Fact]
    public async Task Quiet_after_the_tool_finished_is_not_a_stall()
    {
        using var progress = new StageProgress(time);
        using var heartbeat = new LeaseHeartbeat(Record, Interval, time, NullLogger.Instance, progress, Stall);
        progress.Report(TimeSpan.FromSeconds(30));
        progress.Settle(); // ffmpeg exited; the stage is storing its files

        for (var tick = 1; tick <= 8; tick++)
        {
            time.Advance(Interval);
            await NextRenewalAsync();
        }

        Assert.False(progress.Stalled.IsCancellationRequested);
    }

    [Fact]
    public async Task A_render_whose_ffmpeg_stops_progressing_is_stopped_and_fails_as_a_retryable_fault()
    {
        var store = new InMemoryJobStore(time);
        var job = (await store.SubmitAsync("memory:ideas", "hash-hung", CoreHarness.Request(), CancellationToken.None)).Job;
        await CompleteAsync(store, job, StageName.Visuals, new VisualsOutput([new StoredClip(0, "beat-0.mp4", 10)]));
        await CompleteAsync(store, job, StageName.Voice, new VoiceOutput("narration.wav", 9, "default", "en", [new WordTiming("hi", 0, 0.3)]));
        var renderer = new HungRenderer();
        var settings = new ViralForgeOptions { Watermark = "" };
        var stage = new RenderStage(renderer, Microsoft.Extensions.Options.Options.Create(settings));
        var folder = Directory.CreateTempSubdirectory("vf-hung-").FullName;
        try
        {
            using var progress = new StageProgress(time);
            using var heartbeat = new LeaseHeartbeat(Record, Interval, time, NullLogger.Instance, progress, Stall);
            var context = new StageContext(job, StageName.Render, job.Generation, folder, store, new InMemoryBlobStore(), progress);

            var rendering = stage.RunAsync(context, CancellationToken.None);
            await renderer.Started.Task.WaitAsync(Patience, TimeProvider.System);
            for (var tick = 0; tick < 6; tick++)
            {
                time.Advance(Interval);
            }

            var error = await Assert.ThrowsAsync<TimeoutException>(() => rendering.WaitAsync(Patience, TimeProvider.System));
            Assert.Contains("no progress", error.Message, StringComparison.Ordinal);
            Assert.True(renderer.Cancelled, "the renderer (ffmpeg) was not stopped");
            // A TimeoutException is no PermanentStageException: the runner retries the render.
            Assert.IsNotAssignableFrom<PermanentStageException>(error);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task CompleteAsync<T>(InMemoryJobStore store, Job job, StageName stage, T output)
    {
        await store.ClaimStageAsync(job.Id, stage, job.Generation, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteStageAsync(
            new StageCompletion(job.Id, stage, job.Generation, StageJson.ToElement(output), [], JobStatus.ForStage(StageOrder.Next(stage)!.Value), stage.Wire()),
            CancellationToken.None);
    }

    private Task Record(CancellationToken cancellationToken) => renewals.Writer.WriteAsync(time.GetUtcNow(), cancellationToken).AsTask();

    private async Task<DateTimeOffset> NextRenewalAsync() => await renewals.Reader.ReadAsync().AsTask().WaitAsync(Patience, TimeProvider.System);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>An ffmpeg that starts, reaches one second of output, and then hangs until it is killed.</summary>
    private sealed class HungRenderer : IRenderer
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Cancelled { get; private set; }

        public Task<RenderedVideo> RenderAsync(RenderWork work, string scratchFolder, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the render stage must ask for progress");

        public async Task<RenderedVideo> RenderAsync(RenderWork work, string scratchFolder, IProgress<TimeSpan>? progress, CancellationToken cancellationToken)
        {
            progress!.Report(TimeSpan.Zero);
            progress.Report(TimeSpan.FromSeconds(1));
            Started.SetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled = true;
                throw;
            }
            throw new InvalidOperationException("unreachable");
        }
    }
}

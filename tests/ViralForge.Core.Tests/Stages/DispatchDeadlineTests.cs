using Microsoft.Extensions.Time.Testing;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Testing.InMemory;

namespace ViralForge.Core.Tests.Stages;

/// <summary>A task's dispatch deadline is sized from its stage: a render's from its video's length and the render speed.</summary>
public sealed class DispatchDeadlineTests
{
    private readonly QueueOptions queue = new();

    [Fact]
    public void A_render_deadline_is_video_seconds_times_the_assumed_speed_times_the_margin_before_any_render_was_measured()
    {
        // 60 s x 4 s/s x 2 = 480 s
        Assert.Equal(TimeSpan.FromSeconds(480), queue.RenderDeadline(60, measuredSecondsPerVideoSecond: null));
    }

    [Fact]
    public void A_measured_speed_replaces_the_assumed_one()
    {
        // 60 s x 1.5 s/s x 2 = 180 s: this machine renders faster than the default assumes.
        Assert.Equal(TimeSpan.FromSeconds(180), queue.RenderDeadline(60, measuredSecondsPerVideoSecond: 1.5));
        // and a slower one gets longer than the default would give
        Assert.Equal(TimeSpan.FromSeconds(1200), queue.RenderDeadline(60, measuredSecondsPerVideoSecond: 10));
    }

    [Fact]
    public void A_short_video_gets_the_floor_and_a_long_or_slow_one_the_30_minute_ceiling()
    {
        Assert.Equal(queue.RenderDeadlineFloor, queue.RenderDeadline(5, 1.2));
        Assert.Equal(TimeSpan.FromMinutes(2), queue.RenderDeadlineFloor);
        Assert.Equal(TimeSpan.FromMinutes(30), queue.RenderDeadline(90, 50));
        Assert.Equal(TimeSpan.FromMinutes(30), queue.RenderDeadline(double.MaxValue, 50));
    }

    [Fact]
    public void Render_runs_one_at_a_time_per_two_cores_and_never_less_than_one()
    {
        static int Render(int cores) => QueueOptions.DefaultLimitsFor("vf-render", cores, TimeSpan.FromMinutes(10), 8).MaxConcurrentDispatches;

        Assert.Equal([1, 1, 1, 2, 4], new[] { 0, 1, 2, 4, 8 }.Select(Render));
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), new QueueOptions().LimitsFor("vf-render").MaxConcurrentDispatches);
    }

    [Fact]
    public void Every_known_queue_has_limits_within_cloud_tasks_bounds_and_an_unknown_one_the_process_share()
    {
        foreach (var name in QueueOptions.KnownQueues)
        {
            var limits = QueueOptions.DefaultLimitsFor(name, 64, TimeSpan.FromMinutes(10), 8);
            Assert.InRange(limits.MaxConcurrentDispatches, 1, QueueOptions.MaxConcurrentDispatchesLimit);
            Assert.InRange(limits.MaxDispatchesPerSecond, 0.001, QueueOptions.MaxDispatchesPerSecondLimit);
            Assert.InRange(limits.DispatchDeadline, TimeSpan.FromSeconds(15), QueueOptions.MaxDispatchDeadline);
        }
        // The provider queues stay at their vendors' pace however big the machine.
        Assert.Equal(2, QueueOptions.DefaultLimitsFor("vf-voice", 64, TimeSpan.FromMinutes(10), 8).MaxConcurrentDispatches);
        Assert.Equal(0.1, QueueOptions.DefaultLimitsFor("vf-publish", 64, TimeSpan.FromMinutes(10), 8).MaxDispatchesPerSecond);
        Assert.Equal(new QueueLimits(8, 500, TimeSpan.FromMinutes(7)), QueueOptions.DefaultLimitsFor("bench-noop", 2, TimeSpan.FromMinutes(7), 8));
    }

    [Fact]
    public void An_override_replaces_only_the_limits_it_sets()
    {
        queue.Queues["vf-render"] = new QueueRetryOptions { MaxConcurrentDispatches = 3 };

        var limits = queue.LimitsFor("vf-render");

        Assert.Equal(3, limits.MaxConcurrentDispatches);
        Assert.Equal(1, limits.MaxDispatchesPerSecond);
        Assert.Equal(TimeSpan.FromMinutes(10), limits.DispatchDeadline);
    }

    [Fact]
    public async Task The_render_task_is_enqueued_with_a_deadline_from_the_narration_and_the_measured_speed()
    {
        var (tasks, queued, store, job) = await SetUpAsync(new FixedSpeed(2.0));
        await CompleteVoiceAsync(store, job, narrationSeconds: 44.5);

        await tasks.EnqueueAsync(job.Id, StageName.Render, job.Generation, CancellationToken.None);

        // (44.5 s + the 0.5 s tail) x 2 s/s x 2 = 180 s
        var task = Assert.Single(queued.Tasks);
        Assert.Equal("vf-render", task.Queue);
        Assert.Equal(TimeSpan.FromSeconds(180), task.DispatchDeadline);
    }

    [Fact]
    public async Task Before_the_voice_is_done_the_rows_duration_sizes_the_render_deadline()
    {
        var (tasks, queued, _, job) = await SetUpAsync(new FixedSpeed(null));

        await tasks.EnqueueAsync(job.Id, StageName.Render, job.Generation, CancellationToken.None);

        // The row asked for 30 s: 30 x the assumed 4 s/s x 2 = 240 s.
        Assert.Equal(TimeSpan.FromSeconds(240), Assert.Single(queued.Tasks).DispatchDeadline);
    }

    [Fact]
    public async Task Other_stages_leave_the_deadline_to_their_queue()
    {
        var (tasks, queued, _, job) = await SetUpAsync(new FixedSpeed(2.0));

        await tasks.EnqueueAsync(job.Id, StageName.Script, job.Generation, CancellationToken.None);

        Assert.Null(Assert.Single(queued.Tasks).DispatchDeadline);
        Assert.Equal(TimeSpan.FromMinutes(5), queue.LimitsFor("vf-script").DispatchDeadline);
    }

    private async Task<(StageTasks Tasks, InMemoryTaskQueue Queue, InMemoryJobStore Store, Job Job)> SetUpAsync(IRenderSpeed speed)
    {
        var store = new InMemoryJobStore(new FakeTimeProvider());
        var queued = new InMemoryTaskQueue();
        var job = (await store.SubmitAsync("memory:ideas", "hash-deadline", CoreHarness.Request(), CancellationToken.None)).Job;
        return (new StageTasks(queued, Microsoft.Extensions.Options.Options.Create(new ViralForgeOptions { Queue = queue }), store, speed), queued, store, job);
    }

    private static async Task CompleteVoiceAsync(InMemoryJobStore store, Job job, double narrationSeconds)
    {
        await store.ClaimStageAsync(job.Id, StageName.Voice, job.Generation, TimeSpan.FromMinutes(1), CancellationToken.None);
        var output = new VoiceOutput("narration.wav", narrationSeconds, "default", "en", [new WordTiming("hello", 0, 0.4)]);
        await store.CompleteStageAsync(
            new StageCompletion(job.Id, StageName.Voice, job.Generation, StageJson.ToElement(output), [], JobStatus.ForStage(StageName.Render), "voice"),
            CancellationToken.None);
    }

    private sealed class FixedSpeed(double? secondsPerVideoSecond) : IRenderSpeed
    {
        public Task RecordAsync(double videoSeconds, TimeSpan wallTime, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<double?> SecondsPerVideoSecondAsync(CancellationToken cancellationToken) => Task.FromResult(secondsPerVideoSecond);
    }
}

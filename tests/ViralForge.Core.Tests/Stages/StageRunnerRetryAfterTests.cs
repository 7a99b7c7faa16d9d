using ViralForge.Core.Jobs;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Stages;

/// <summary>A vendor's long Retry-After, which the adapter would not wait out in the delivery, becomes the queue's delay.</summary>
public sealed class StageRunnerRetryAfterTests
{
    private readonly CoreHarness core = new();

    [Fact]
    public async Task A_transient_failure_with_the_vendors_wait_frees_the_run_and_asks_the_queue_to_come_back_after_that_wait()
    {
        var (job, _) = await core.NewJobAsync();
        core.Stages[StageName.Trends].Work = (_, _) => throw new TransientStageException("ElevenLabs answered 429 system_busy: The system is busy.", TimeSpan.FromMinutes(10));

        var outcome = await core.RunAsync(job, StageName.Trends);

        var retry = Assert.IsType<StageOutcome.RetryLater>(outcome);
        Assert.Equal(TimeSpan.FromMinutes(10), retry.After);
        Assert.Contains("system_busy", retry.Detail, StringComparison.Ordinal);
        Assert.Equal(StageRunStatus.Failed, (await core.RunOfAsync(job.Id, StageName.Trends)).Status);
        Assert.NotEqual(JobStatus.Failed, (await core.JobAsync(job.Id)).Status);
    }

    [Fact]
    public async Task A_transient_failure_without_a_wait_leaves_the_delay_to_the_queues_backoff()
    {
        var (job, _) = await core.NewJobAsync();
        core.Stages[StageName.Trends].Work = (_, _) => throw new TransientStageException("OpenAI script: gave up after 4 attempts");

        var retry = Assert.IsType<StageOutcome.RetryLater>(await core.RunAsync(job, StageName.Trends));

        Assert.Null(retry.After);
    }

    [Fact]
    public async Task On_the_queues_last_attempt_the_wait_does_not_matter_and_the_job_fails_naming_the_vendors_answer()
    {
        var (job, _) = await core.NewJobAsync();
        core.Stages[StageName.Trends].Work = (_, _) => throw new TransientStageException("OpenAI answered 429 rate_limit_exceeded: slow down", TimeSpan.FromMinutes(10));

        var outcome = await core.RunAsync(job, StageName.Trends, retryCount: core.Settings.Queue.MaxAttempts - 1);

        Assert.IsType<StageOutcome.Ended>(outcome);
        Assert.Contains("rate_limit_exceeded", (await core.JobAsync(job.Id)).Error, StringComparison.Ordinal);
    }
}

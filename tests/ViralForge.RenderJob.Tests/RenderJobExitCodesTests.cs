using ViralForge.Core.Stages;
using ViralForge.RenderJob;

namespace ViralForge.RenderJob.Tests;

public sealed class RenderJobExitCodesTests
{
    public static TheoryData<StageOutcome, int> Outcomes => new()
    {
        { new StageOutcome.Completed("rendered"), 0 },
        { new StageOutcome.Skipped("job is published"), 0 },
        { new StageOutcome.Ended("failed: render: ffmpeg exited 1 (gave up after 3 attempts)"), 0 },
        { new StageOutcome.AwaitingApproval("waiting for a reviewer"), 0 },
        { new StageOutcome.RetryLater("render: ffmpeg exited 1"), 75 },
        { new StageOutcome.RetryLater("another attempt is running render", TimeSpan.FromSeconds(10)), 75 },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void Only_retry_later_makes_Cloud_Run_retry(StageOutcome outcome, int exitCode) =>
        Assert.Equal(exitCode, RenderJobExitCodes.For(outcome));

    [Fact]
    public void The_codes_are_distinct_and_only_done_is_zero()
    {
        int[] failures = [RenderJobExitCodes.Unexpected, RenderJobExitCodes.BadConfiguration, RenderJobExitCodes.RetryLater, RenderJobExitCodes.Interrupted];

        Assert.Equal(0, RenderJobExitCodes.Done);
        Assert.Equal(failures.Length, failures.Distinct().Count());
        Assert.All(failures, code => Assert.InRange(code, 1, 255));
        Assert.Equal(2, RenderJobExitCodes.BadConfiguration);
    }
}

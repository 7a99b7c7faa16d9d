using ViralForge.RenderJob;

namespace ViralForge.RenderJob.Tests;

public sealed class RenderJobExitCodesTests
{
    [Fact]
    public void The_codes_are_distinct_and_only_done_is_zero()
    {
        int[] failures = [RenderJobExitCodes.Unexpected, RenderJobExitCodes.BadConfiguration, RenderJobExitCodes.Refused, RenderJobExitCodes.RetryLater, RenderJobExitCodes.Interrupted];

        Assert.Equal(0, RenderJobExitCodes.Done);
        Assert.Equal(failures.Length, failures.Distinct().Count());
        Assert.All(failures, code => Assert.InRange(code, 1, 255));
        Assert.Equal(2, RenderJobExitCodes.BadConfiguration);
    }
}

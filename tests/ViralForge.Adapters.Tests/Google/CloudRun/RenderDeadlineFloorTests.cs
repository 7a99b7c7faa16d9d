using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Google.CloudRun;
using ViralForge.Core;

namespace ViralForge.Adapters.Tests.Google.CloudRun;

/// <summary>Under Cloud Run renders, a render task's deadline never falls below the time a delivery watches its execution.</summary>
public sealed class RenderDeadlineFloorTests
{
    [Theory]
    [InlineData(null, 9)]          // RenderWait's default, 8 min, plus a minute
    [InlineData("00:12:00", 13)]
    [InlineData("00:29:30", 30)]   // never past Cloud Tasks' 30 minutes
    public void The_floor_is_raised_to_the_render_wait_plus_a_minute(string? renderWait, int floorMinutes)
    {
        var queue = Settings(new() { ["Google:CloudRun:RenderWait"] = renderWait }).Queue;

        Assert.Equal(TimeSpan.FromMinutes(floorMinutes), queue.RenderDeadlineFloor);
        // A 10 s video measured fast still gets a deadline the watching delivery fits in.
        Assert.Equal(TimeSpan.FromMinutes(floorMinutes), queue.RenderDeadline(10, 1));
    }

    [Fact]
    public void A_floor_set_higher_is_kept_and_no_cloud_run_setting_is_needed_to_read_the_settings()
    {
        // Nothing of Google:CloudRun is set (a migrate-only host): reading ViralForge's settings must not validate them.
        var queue = Settings(new() { ["ViralForge:Queue:RenderDeadlineFloor"] = "00:20:00" }).Queue;

        Assert.Equal(TimeSpan.FromMinutes(20), queue.RenderDeadlineFloor);
    }

    private static ViralForgeOptions Settings(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var provider = new ServiceCollection()
            .AddViralForgeCore(configuration)
            .AddCloudRunRenderJobs(configuration)
            .BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ViralForgeOptions>>().Value;
    }
}

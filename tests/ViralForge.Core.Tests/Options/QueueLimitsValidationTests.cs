using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ViralForge.Core.Tests.Options;

/// <summary>Per-queue rate limits and deadlines are checked at boot within Cloud Tasks' own bounds, naming the setting.</summary>
public sealed class QueueLimitsValidationTests
{
    [Fact]
    public void Rate_limits_and_a_deadline_within_cloud_tasks_bounds_pass_and_are_used()
    {
        var options = Bind(new()
        {
            ["ViralForge:Queue:Queues:vf-render:MaxConcurrentDispatches"] = "3",
            ["ViralForge:Queue:Queues:vf-render:MaxDispatchesPerSecond"] = "0.5",
            ["ViralForge:Queue:Queues:vf-render:DispatchDeadline"] = "00:20:00",
        }).Value.Queue;

        Assert.Equal(new QueueLimits(3, 0.5, TimeSpan.FromMinutes(20)), options.LimitsFor("vf-render"));
        // Setting only rate limits keeps the queue's retry settings at their defaults.
        Assert.Equal(5, options.RetryFor("vf-render").MaxAttempts);
    }

    [Theory]
    [InlineData("MaxConcurrentDispatches", "0", "ViralForge:Queue:Queues:vf-script:MaxConcurrentDispatches 0 must be between 1 and 5000")]
    [InlineData("MaxConcurrentDispatches", "5001", "MaxConcurrentDispatches 5001 must be between 1 and 5000")]
    [InlineData("MaxDispatchesPerSecond", "0", "ViralForge:Queue:Queues:vf-script:MaxDispatchesPerSecond 0 must be more than 0 and at most 500")]
    [InlineData("MaxDispatchesPerSecond", "501", "MaxDispatchesPerSecond 501 must be more than 0 and at most 500")]
    [InlineData("DispatchDeadline", "00:31:00", "ViralForge:Queue:Queues:vf-script:DispatchDeadline 00:31:00 must be between 00:00:01 and 00:30:00")]
    public void A_limit_out_of_bounds_fails_boot_naming_the_setting(string name, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { [$"ViralForge:Queue:Queues:vf-script:{name}"] = value }).Value);

        Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("RenderSecondsPerVideoSecond", "0")]
    [InlineData("RenderDeadlineMargin", "0.5")]
    [InlineData("RenderDeadlineFloor", "00:31:00")]
    public void A_render_deadline_setting_out_of_range_fails_boot(string name, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { [$"ViralForge:Queue:{name}"] = value }).Value);

        Assert.Contains(error.Failures, f => f.Contains(name, StringComparison.Ordinal));
    }

    private static IOptions<ViralForgeOptions> Bind(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddViralForgeCore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider()
            .GetRequiredService<IOptions<ViralForgeOptions>>();
}

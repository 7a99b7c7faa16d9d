using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Core;

namespace ViralForge.Core.Tests.Options;

/// <summary>Per-queue retry overrides are checked at start-up, as every other setting is, with a message naming the setting.</summary>
public sealed class QueueOverrideValidationTests
{
    [Fact]
    public void Overrides_of_known_queues_with_sound_values_pass()
    {
        var options = Bind(new()
        {
            ["ViralForge:Queue:Queues:vf-render:MaxAttempts"] = "3",
            ["ViralForge:Queue:Queues:vf-render:MinBackoff"] = "00:00:05",
            ["ViralForge:Queue:Queues:vf-render:MaxBackoff"] = "00:05:00",
            ["ViralForge:Queue:Queues:vf-review-timers:MaxAttempts"] = "10",
        });

        Assert.Equal(3, options.Value.Queue.RetryFor("vf-render").MaxAttempts);
    }

    [Fact]
    public void A_misspelt_queue_fails_boot_naming_it_and_the_queues_there_are()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["ViralForge:Queue:Queues:vf-rendr:MaxAttempts"] = "3" }).Value);

        var failure = Assert.Single(error.Failures);
        Assert.Contains("ViralForge:Queue:Queues:vf-rendr names no queue", failure, StringComparison.Ordinal);
        Assert.Contains("vf-render", failure, StringComparison.Ordinal);
        Assert.Contains("vf-review-decisions", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxAttempts", "0", "ViralForge:Queue:Queues:vf-script:MaxAttempts 0 must be between 1 and 1000")]
    [InlineData("MaxAttempts", "1001", "MaxAttempts 1001 must be between 1 and 1000")]
    [InlineData("MaxDoublings", "17", "MaxDoublings 17 must be between 0 and 16")]
    [InlineData("MinBackoff", "00:00:00", "MinBackoff (00:00:00) must be more than 0")]
    [InlineData("MaxBackoff", "00:00:00.500", "MaxBackoff (00:00:00.5000000) at least MinBackoff")]
    public void A_bad_override_value_fails_boot_naming_the_setting(string name, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { [$"ViralForge:Queue:Queues:vf-script:{name}"] = value }).Value);

        Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelt_queue_stops_a_host_at_start_up()
    {
        using var provider = Services(new() { ["ViralForge:Queue:Queues:vf-publsh:MaxAttempts"] = "2" });
        var validator = provider.GetRequiredService<IStartupValidator>();

        var error = Assert.ThrowsAny<Exception>(validator.Validate);

        Assert.Contains("vf-publsh", error.Message, StringComparison.Ordinal);
    }

    private static IOptions<ViralForgeOptions> Bind(Dictionary<string, string?> settings) =>
        Services(settings).GetRequiredService<IOptions<ViralForgeOptions>>();

    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddViralForgeCore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}

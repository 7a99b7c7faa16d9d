using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using ViralForge.Core;

namespace ViralForge.ServiceDefaults.Tests;

/// <summary>What every host gets from AddViralForgeDefaults, and how a bad setting is told at start-up.</summary>
public sealed class ViralForgeDefaultsTests
{
    [Fact]
    public void Cloud_Runs_PORT_becomes_the_web_hosts_http_ports()
    {
        var builder = Builder(new() { ["PORT"] = "9090" });

        builder.AddViralForgeDefaults();

        Assert.Equal("9090", builder.Configuration[ViralForgeDefaults.HttpPortsSetting]);
    }

    [Fact]
    public void Without_PORT_the_ports_are_left_to_the_image()
    {
        var builder = Builder([]);

        builder.AddViralForgeDefaults();

        Assert.Null(builder.Configuration[ViralForgeDefaults.HttpPortsSetting]);
    }

    [Theory]
    [InlineData("K_SERVICE", "vf-script")]
    [InlineData("CLOUD_RUN_JOB", "viralforge-render-job")]
    public void On_Cloud_Run_every_log_line_is_cloud_loggings_json(string variable, string value)
    {
        var builder = Builder(new() { [variable] = value });

        builder.AddViralForgeDefaults();

        Assert.Equal(CloudLoggingConsoleFormatter.FormatterName, ConsoleFormatterName(builder));
    }

    [Fact]
    public void Off_Cloud_Run_the_framework_console_format_stays_unless_asked()
    {
        var local = Builder([]);
        local.AddViralForgeDefaults();
        var asked = Builder([]);
        asked.AddViralForgeDefaults(LogFormat.CloudLogging);

        Assert.NotEqual(CloudLoggingConsoleFormatter.FormatterName, ConsoleFormatterName(local));
        Assert.Equal(CloudLoggingConsoleFormatter.FormatterName, ConsoleFormatterName(asked));
    }

    [Fact]
    public async Task A_bad_setting_is_one_line_naming_it_and_exit_code_2_not_a_stack_trace()
    {
        using var errors = new StringWriter();

        var code = await StartupProblems.RunAsync("viralforge-functions", errors,
            () => Task.FromResult(ViralForgeProfiles.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ViralForge:Profile"] = "aws" }).Build())));

        Assert.Equal(StartupProblems.BadSettingsExitCode, code);
        Assert.Equal(
            "viralforge-functions: ViralForge:Profile (environment ViralForge__Profile) 'aws' is not a profile; use 'local' or 'gcp'.\n",
            errors.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Every_failed_options_section_is_told_at_once()
    {
        using var errors = new StringWriter();
        var failures = new AggregateException(
            new OptionsValidationException("ViralForge", typeof(object), ["Width: must be between 240 and 4320."]),
            new OptionsValidationException("Google:Tasks", typeof(object), ["Google:Tasks:ProjectId is required."]));

        var code = await StartupProblems.RunAsync("viralforge-bot", errors, () => throw failures);

        Assert.Equal(2, code);
        Assert.Equal(
            "viralforge-bot: Width: must be between 240 and 4320.\nviralforge-bot: Google:Tasks:ProjectId is required.\n",
            errors.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_value_the_binder_cannot_convert_is_one_line_naming_the_setting()
    {
        using var errors = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ViralForge:Media:Crf"] = "abc" }).Build();

        var code = await StartupProblems.RunAsync("viralforge-functions", errors,
            () => Task.FromResult(configuration.GetSection(ViralForgeOptions.SectionName).Get<ViralForgeOptions>()));

        Assert.Equal(StartupProblems.BadSettingsExitCode, code);
        var line = Assert.Single(errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("viralforge-functions: ", line, StringComparison.Ordinal);
        Assert.Contains("'ViralForge:Media:Crf'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fault_that_is_not_a_setting_is_not_hidden()
    {
        await Assert.ThrowsAsync<IOException>(() => StartupProblems.RunAsync("viralforge-functions", TextWriter.Null, () => throw new IOException("disk full")));
    }

    [Theory]
    [InlineData(null, ViralForgeProfile.Local)]
    [InlineData("local", ViralForgeProfile.Local)]
    [InlineData("GCP", ViralForgeProfile.Gcp)]
    [InlineData(" gcp ", ViralForgeProfile.Gcp)]
    public void The_profile_is_read_once_into_its_enum(string? text, ViralForgeProfile expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ViralForge:Profile"] = text }).Build();

        Assert.Equal(expected, ViralForgeProfiles.Read(configuration));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("aws")]
    public void A_profile_that_is_not_a_word_the_product_knows_is_refused(string text)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ViralForge:Profile"] = text }).Build();

        var error = Assert.Throws<ViralForgeSettingsException>(() => ViralForgeProfiles.Read(configuration));

        Assert.Contains($"'{text}' is not a profile", error.Message, StringComparison.Ordinal);
    }

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddConsole();
        return builder;
    }

    private static string ConsoleFormatterName(HostApplicationBuilder builder)
    {
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName ?? "";
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Runway;
using ViralForge.Adapters.Vertex;
using ViralForge.Core.Costs;
using ViralForge.Core.Ports;
using ViralForge.Testing.InMemory;

namespace ViralForge.Adapters.Tests.Runway;

/// <summary>AddRunway and AddVeo: registered only where their key or project is set, with settings checked at start-up.</summary>
public sealed class AiVideoRegistrationTests
{
    private const string Key = "key_3f9c2a7b1e6d4c8a9b0e5f7a2c4d6e8f";

    [Fact]
    public void Without_a_runway_key_or_a_veo_project_no_generator_is_registered()
    {
        var services = new ServiceCollection().AddRunway(Config([])).AddVeo(Config([]));

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IVideoGenerator));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IConfigureOptions<RunwayOptions>));
    }

    [Fact]
    public void With_both_set_both_generators_are_offered_once_each()
    {
        var config = Config(new() { ["Runway:ApiKey"] = Key, ["Veo:Project"] = "viralforge-prod" });

        var services = Basics().AddRunway(config).AddVeo(config).AddRunway(config).AddVeo(config);

        using var provider = services.BuildServiceProvider();
        Assert.Equal(["runway", "veo"], provider.GetServices<IVideoGenerator>().Select(g => g.Name).Order(StringComparer.Ordinal));
        Assert.IsType<ApplicationDefaultTokenSource>(provider.GetRequiredService<IGoogleAccessTokenSource>());
        Assert.Equal("https://us-central1-aiplatform.googleapis.com/", provider.GetRequiredService<IOptions<VeoOptions>>().Value.Endpoint.ToString());
    }

    [Fact]
    public void A_malformed_runway_key_fails_start_up_naming_the_setting_and_not_the_key()
    {
        const string pasted = "key_3f9c2a7b1e6d SECRETPART\n";

        var error = Assert.Throws<OptionsValidationException>(() => Options<RunwayOptions>(new() { ["Runway:ApiKey"] = pasted }));

        Assert.Contains(error.Failures, f => f.Contains("Runway:ApiKey has a space, line break, quote or other character no key has", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRETPART", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_runway_model_text_to_video_does_not_take_or_without_a_price_fails_start_up()
    {
        var unknown = Assert.Throws<OptionsValidationException>(() => Options<RunwayOptions>(new() { ["Runway:ApiKey"] = Key, ["Runway:Model"] = "gen4_turbo" }));
        Assert.Contains(unknown.Failures, f => f.Contains("Runway:Model 'gen4_turbo' is not a text_to_video model", StringComparison.Ordinal));

        var options = new RunwayOptions { ApiKey = Key, Model = "veo3.1" };
        options.CreditsPerSecond.Remove("veo3.1");
        var unpriced = new RunwayOptionsValidator().Validate(null, options);
        Assert.Contains("add Runway:CreditsPerSecond:veo3.1", unpriced.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Veo_settings_outside_what_veo_takes_fail_start_up_each_with_its_setting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options<VeoOptions>(new()
        {
            ["Veo:Project"] = "viralforge-prod",
            ["Veo:Durations:0"] = "5",
            ["Veo:Resolution"] = "4k",
            ["Veo:StorageUri"] = "s3://bucket/",
            ["Veo:Model"] = "veo-9",
        }));

        Assert.Contains(error.Failures, f => f.Contains("Veo:Durations must be some of 4, 6 and 8", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Veo:Resolution must be 720p or 1080p", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Veo:StorageUri must be a gs://", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Veo:Prices has no price for 'veo-9'", StringComparison.Ordinal));
    }

    [Fact]
    public void Veo_durations_set_in_configuration_replace_the_default_instead_of_adding_to_it()
    {
        var set = Options<VeoOptions>(new() { ["Veo:Project"] = "viralforge-prod", ["Veo:Durations:0"] = "8" });
        var unset = Options<VeoOptions>(new() { ["Veo:Project"] = "viralforge-prod" });

        Assert.Equal([8], set.AllowedDurations);
        Assert.Equal([4, 6, 8], unset.AllowedDurations);
    }

    [Fact]
    public void The_price_table_carries_the_runway_and_veo_rates_with_their_dates_and_the_options_start_from_it()
    {
        var table = PriceTable.Default();

        Assert.Equal((12m, 0.01m, new DateOnly(2026, 4, 21)), (table.RunwayCreditsPerSecond["gen4.5"], table.RunwayUsdPerCredit, table.RunwayPricesAsOf));
        Assert.Equal(0.80m, table.VeoModels["veo-3.1-fast-generate-001"].Cost(8, withAudio: false));
        Assert.Equal(new DateOnly(2026, 7, 1), table.VeoPricesAsOf);
        Assert.Equal(table.RunwayCreditsPerSecond, new RunwayOptions().CreditsPerSecond);
        Assert.Equal(table.VeoPricesAsOf, new VeoOptions().PricesAsOf);
    }

    private static T Options<T>(Dictionary<string, string?> settings)
        where T : class
    {
        var config = Config(settings);
        using var provider = Basics().AddRunway(config).AddVeo(config).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<T>>().Value;
    }

    private static IServiceCollection Basics() =>
        new ServiceCollection().AddLogging().AddSingleton<ICostLedger>(new InMemoryCostLedger()).AddSingleton<IBlobStore>(new InMemoryBlobStore());

    private static IConfiguration Config(Dictionary<string, string?> settings) => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Local;
using ViralForge.Adapters.YouTube;
using ViralForge.Core.Ports;
using ViralForge.Testing.Providers;

namespace ViralForge.Adapters.Tests.YouTube;

/// <summary>The trend settings: one line naming a bad one, list settings that replace their defaults, the key deciding the provider.</summary>
public sealed class YouTubeTrendsOptionsTests
{
    [Theory]
    [InlineData("YouTube:ApiKey", "AIza SECRET-with-a-space-0123456789", "YouTube:ApiKey has a space")]
    [InlineData("YouTube:TrendRegions:0", "usa", "YouTube:TrendRegions must list ISO 3166-1 alpha-2 regions")]
    [InlineData("YouTube:TrendCategories:0", "Music", "YouTube:TrendCategories must list YouTube video category ids")]
    [InlineData("YouTube:TrendRefreshInterval", "06:00:00", "YouTube:TrendRefreshInterval (06:00:00) must be shorter than YouTube:TrendSnapshotMaxAge")]
    [InlineData("YouTube:UploadReserveUnits", "10000", "YouTube:UploadReserveUnits (10000) leaves nothing")]
    public void A_bad_setting_stops_the_host_with_one_line_naming_it_and_never_the_key(string setting, string value, string expected)
    {
        using var provider = Host(new() { ["YouTube:ApiKey"] = YouTubeTrendsWire.ApiKey, [setting] = value });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<YouTubeTrendsOptions>>().Value);

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listed_regions_and_categories_replace_the_defaults_and_the_key_chooses_youtube_over_the_sample()
    {
        using var provider = Host(new() { ["YouTube:ApiKey"] = YouTubeTrendsWire.ApiKey, ["YouTube:TrendRegions:0"] = "GB", ["YouTube:TrendCategories:0"] = "27" });
        using var offline = Host([]);

        var options = provider.GetRequiredService<IOptions<YouTubeTrendsOptions>>().Value;

        Assert.Equal(["GB"], options.Regions);
        Assert.Equal(["27"], options.Categories);
        Assert.Equal(YouTubeTrendsOptions.DefaultCategories, new YouTubeTrendsOptions().Categories);
        Assert.IsType<YouTubeTrendsProvider>(provider.GetRequiredService<ITrendsProvider>());
        Assert.IsType<SampleTrendsProvider>(offline.GetRequiredService<ITrendsProvider>());
        Assert.Null(offline.GetService<YouTubeTrendsRefresher>());
    }

    private static ServiceProvider Host(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(Npgsql.NpgsqlDataSource.Create("Host=localhost;Database=unused"));
        services.AddSingleton<ICostLedger>(new ViralForge.Testing.InMemory.InMemoryCostLedger());
        services.AddYouTubeTrends(configuration).AddOfflineProviders();
        return services.BuildServiceProvider();
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Pexels;
using ViralForge.Adapters.Pixabay;
using ViralForge.Adapters.Visuals;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Providers;
using ViralForge.Testing.InMemory;

namespace ViralForge.Adapters.Tests.Visuals;

/// <summary>What AddVisuals registers for which settings, and the start-up line it adds.</summary>
public sealed class VisualsRegistrationTests
{
    [Fact]
    public void With_both_keys_the_router_is_the_visuals_provider_with_both_sites_in_order()
    {
        using var services = Services(new()
        {
            ["Pexels:ApiKey"] = StockTesting.PexelsKey,
            ["Pixabay:ApiKey"] = StockTesting.PixabayKey,
            ["Visuals:StockSources:0"] = "pixabay",
            ["Visuals:StockSources:1"] = "pexels",
        });

        var router = Assert.IsType<VisualsRouter>(services.GetRequiredService<IVisualsProvider>());

        Assert.Equal(["pixabay", "pexels"], router.StockSourceNames);
        Assert.Same(services.GetRequiredService<PexelsClient>(), services.GetServices<IStockFootageSource>().OfType<PexelsClient>().Single());
        Assert.Equal("stock: pixabay, pexels; ai: none; default generated", ProviderChoices.InEffect(services.GetServices<ProviderChoice>()).Single(c => c.Stage == StageName.Visuals).Provider);
    }

    [Fact]
    public void Without_keys_no_site_is_registered_and_the_offline_line_stays()
    {
        using var services = Services([]);

        var router = Assert.IsType<VisualsRouter>(services.GetRequiredService<IVisualsProvider>());

        Assert.Empty(router.StockSourceNames);
        Assert.Empty(services.GetServices<IStockFootageSource>());
        Assert.Equal("ffmpeg backgrounds (offline)", ProviderChoices.InEffect(services.GetServices<ProviderChoice>()).Single(c => c.Stage == StageName.Visuals).Provider);
    }

    [Fact]
    public void The_line_names_the_row_default_and_a_configured_video_model()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pexels:ApiKey"] = StockTesting.PexelsKey,
            ["Runway:ApiKey"] = "key_runway_0123456789abcdef",
            ["ViralForge:Defaults:Visuals"] = "stock",
        }).Build();

        Assert.Equal("stock: pexels; ai: runway; default stock", VisualsServiceCollectionExtensions.DescribeVisualsProviders(configuration));
    }

    [Fact]
    public void A_malformed_key_stops_the_start_naming_the_setting_never_the_key()
    {
        using var services = Services(new() { ["Pixabay:ApiKey"] = "short key" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PixabayOptions>>().Value);

        Assert.Contains("Pixabay:ApiKey has a space, line break, quote or other character no key has", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_stock_source_stops_the_start_naming_the_ones_there_are()
    {
        using var services = Services(new() { ["Visuals:StockSources:0"] = "shutterstock" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<VisualsOptions>>().Value);

        Assert.Contains("Visuals:StockSources has 'shutterstock'; the stock sources are pexels and pixabay.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Through_the_registered_clients_no_key_reaches_a_log_line_at_trace_level()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/videos/search").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(StockTesting.PexelsPage()));
        server.Given(Request.Create().WithPath("/api/videos/").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(StockTesting.PixabayPage()));
        var logs = new ListLoggerProvider();
        using var services = Services(new()
        {
            ["Pexels:ApiKey"] = StockTesting.PexelsKey,
            ["Pexels:BaseUrl"] = server.Urls[0] + "/",
            ["Pixabay:ApiKey"] = StockTesting.PixabayKey,
            ["Pixabay:BaseUrl"] = server.Urls[0] + "/",
        }, logs);

        foreach (var source in services.GetServices<IStockFootageSource>())
        {
            await source.SearchAsync(new StockSearch("sea", "portrait", 5, "en"), CancellationToken.None);
        }

        Assert.Equal(2, server.LogEntries.Count());
        Assert.Contains(logs.Lines, l => l.Contains("/videos/search", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("/api/videos/", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(StockTesting.PexelsKey, StringComparison.Ordinal) || l.Contains(StockTesting.PixabayKey, StringComparison.Ordinal));
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings, ListLoggerProvider? logs = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            if (logs is not null)
            {
                b.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace).AddProvider(logs);
            }
        });
        services.AddOptions<ViralForgeOptions>();
        services.AddSingleton<IBlobStore, InMemoryBlobStore>();
        services.AddVisuals(configuration);
        services.AddOfflineProviders();
        return services.BuildServiceProvider();
    }
}

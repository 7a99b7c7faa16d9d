using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.OpenAI;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Testing.InMemory;

namespace ViralForge.Adapters.Tests.OpenAI;

public sealed class OpenAIOptionsTests
{
    [Fact]
    public void Without_a_key_the_offline_writer_and_the_pass_through_moderator_are_registered()
    {
        var services = new ServiceCollection().AddProfileAdapters(ViralForgeProfile.Local, Config([]));

        Assert.Equal(typeof(ViralForge.Adapters.Local.TemplateScriptWriter), services.Single(d => d.ServiceType == typeof(IScriptWriter)).ImplementationType);
        Assert.Equal(typeof(PassThroughScriptModerator), services.Single(d => d.ServiceType == typeof(IScriptModerator)).ImplementationType);
        Assert.Null(OpenAIServiceCollectionExtensions.DescribeScriptProvider(Config([])));
    }

    [Theory]
    [InlineData(ViralForgeProfile.Local)]
    [InlineData(ViralForgeProfile.Gcp)]
    public void With_a_key_the_OpenAI_writer_and_moderator_take_the_ports_in_either_profile(ViralForgeProfile profile)
    {
        var config = Config(new() { ["OpenAI:ApiKey"] = OpenAIServices.Key });

        var services = new ServiceCollection().AddLogging()
            .AddSingleton(Options.Create(new ViralForgeOptions()))
            .AddSingleton<ICostLedger>(new InMemoryCostLedger())
            .AddProfileAdapters(profile, config);

        using var provider = services.BuildServiceProvider();
        Assert.IsType<OpenAIScriptWriter>(provider.GetRequiredService<IScriptWriter>());
        Assert.IsType<OpenAIModerator>(provider.GetRequiredService<IScriptModerator>());
        Assert.Single(services, d => d.ServiceType == typeof(IScriptWriter));
        Assert.Equal("openai gpt-5.4-mini, moderated by omni-moderation-latest", OpenAIServiceCollectionExtensions.DescribeScriptProvider(config));
    }

    [Fact]
    public void A_malformed_key_fails_start_up_naming_the_setting_and_not_the_key()
    {
        const string pasted = "sk-proj-TESTKEY0123456789 SECRET\n";

        var error = Assert.Throws<OptionsValidationException>(() => Build(new() { ["OpenAI:ApiKey"] = pasted }).GetRequiredService<IOptions<OpenAIOptions>>().Value);

        Assert.EndsWith(
            "OpenAI:ApiKey is malformed: a key is one word of at least 20 printable ASCII characters (check for a stray space, newline or quote).",
            Assert.Single(error.Failures), StringComparison.Ordinal);
        Assert.DoesNotContain("TESTKEY", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_script_model_without_a_price_fails_start_up_naming_the_missing_row()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Build(new()
        {
            ["OpenAI:ApiKey"] = OpenAIServices.Key,
            ["OpenAI:ScriptModel"] = "gpt-6-mini",
        }).GetRequiredService<IOptions<OpenAIOptions>>().Value);

        Assert.Contains("OpenAI:Prices has no row for OpenAI:ScriptModel 'gpt-6-mini'", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Prices_and_their_date_come_from_configuration()
    {
        var options = Build(new()
        {
            ["OpenAI:ApiKey"] = OpenAIServices.Key,
            ["OpenAI:ScriptModel"] = "gpt-6-mini",
            ["OpenAI:Prices:gpt-6-mini:InputPerMillion"] = "1.00",
            ["OpenAI:Prices:gpt-6-mini:OutputPerMillion"] = "8.00",
            ["OpenAI:PricesAsOf"] = "2027-01-15",
        }).GetRequiredService<IOptions<OpenAIOptions>>().Value;

        Assert.Equal(new DateOnly(2027, 1, 15), options.PricesAsOf);
        // no cached price configured: cached tokens are billed as input
        Assert.Equal((1000 * 1.00m + 500 * 8.00m) / 1_000_000m, options.Cost("gpt-6-mini", new TokenUsage(1000, 300, 500)));
    }

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var services = new ServiceCollection().AddLogging()
            .AddSingleton(Options.Create(new ViralForgeOptions()))
            .AddSingleton<ICostLedger>(new InMemoryCostLedger());
        services.AddOpenAI(Config(values));
        return services.BuildServiceProvider();
    }

    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}

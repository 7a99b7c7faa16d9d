using Microsoft.Extensions.Options;
using ViralForge.Bot.Teams;

namespace ViralForge.Bot.Tests.Teams;

/// <summary>Teams settings: all four or none, an https service URL, and messages that name the setting.</summary>
public sealed class TeamsOptionsTests
{
    private static TeamsOptions Complete() => new()
    {
        AppId = "app",
        AppPassword = "secret",
        ServiceUrl = new Uri("https://smba.trafficmanager.net/teams/"),
        ConversationId = "19:abc@thread.tacv2",
    };

    private static ValidateOptionsResult Validate(TeamsOptions options) => new TeamsOptionsValidator().Validate(null, options);

    [Fact]
    public void None_is_valid_and_means_Teams_is_off()
    {
        var options = new TeamsOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.False(options.Enabled);
    }

    [Fact]
    public void All_four_is_valid_and_on()
    {
        Assert.True(Validate(Complete()).Succeeded);
        Assert.True(Complete().Enabled);
    }

    [Fact]
    public void Half_configured_names_what_is_missing()
    {
        var result = Validate(new TeamsOptions { AppId = "app" });

        Assert.True(result.Failed);
        Assert.Contains("set Teams:AppPassword, Teams:ServiceUrl, Teams:ConversationId as well", result.FailureMessage);
    }

    [Theory]
    [InlineData("http://smba.trafficmanager.net/teams/", false)]
    [InlineData("ftp://smba.trafficmanager.net/teams/", false)]
    [InlineData("https://smba.trafficmanager.net/teams/", true)]
    [InlineData("http://127.0.0.1:5000/teams/", true)]
    public void The_service_url_must_be_https(string url, bool valid)
    {
        var options = Complete();
        options.ServiceUrl = new Uri(url);

        var result = Validate(options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains($"Teams:ServiceUrl '{url}' must be an https URL", result.FailureMessage);
        }
    }

    [Theory]
    [InlineData(null, "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token")]
    [InlineData("", "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token")]
    [InlineData("72f988bf-86f1-41af-91ab-2d7cd011db47", "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token")]
    public void The_token_endpoint_follows_the_tenant(string? tenant, string expected)
    {
        var options = Complete();
        options.TenantId = tenant;

        Assert.Equal(expected, options.EffectiveTokenEndpoint.AbsoluteUri);
        Assert.Equal("https://login.botframework.com/v1/.well-known/openidconfiguration", options.OpenIdMetadataUrl.AbsoluteUri);
    }

    [Fact]
    public async Task A_half_configured_Teams_stops_the_host_at_start_naming_the_setting()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TeamsHost.StartAsync(null, new Dictionary<string, string?>
        {
            ["Teams:AppId"] = "app",
            ["Teams:AppPassword"] = "secret",
            ["Teams:ServiceUrl"] = "https://smba.trafficmanager.net/teams/",
        }));

        Assert.Contains("set Teams:ConversationId as well", e.Message);
    }
}

using System.Net;
using ViralForge.Functions.Addon;

namespace ViralForge.Functions.Tests.Addon;

/// <summary>Bad add-on settings stop the host at start-up with a message naming the setting.</summary>
public sealed class AddonOptionsTests
{
    [Theory]
    [InlineData("Addon:AllowedEmails:0", null, "Addon:AllowedEmails or Addon:AllowedDomains must name who may use the add-on")]
    [InlineData("Addon:AllowedEmails:0", "ana", "Addon:AllowedEmails:0 'ana' must be an email")]
    [InlineData("Addon:AllowedDomains:0", "@example.com", "Addon:AllowedDomains:0 '@example.com' must be a domain")]
    [InlineData("Addon:RequestsPerMinute", "0", "Addon:RequestsPerMinute 0 must be from 1 to 10000")]
    [InlineData("Addon:MaxRowsPerRequest", "5000", "Addon:MaxRowsPerRequest 5000 must be from 1 to 1000")]
    [InlineData("Addon:MaxStatusIdsPerRequest", "0", "Addon:MaxStatusIdsPerRequest 0 must be from 1 to 5000")]
    [InlineData("Addon:OAuthClientId", " 123.apps.googleusercontent.com", "Addon:OAuthClientId has spaces around it")]
    public async Task A_bad_setting_fails_the_start_naming_it(string key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Addon:OAuthClientId"] = "123.apps.googleusercontent.com",
            ["Addon:AllowedEmails:0"] = "ana@example.com",
        };
        settings[key] = value;
        if (value is null)
        {
            settings.Remove(key);
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestHost.StartAsync(dispatch: false, settings: settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ana@example.com", null, true)]
    [InlineData("Ana@Example.COM", null, true)]
    [InlineData("bo@team.example", null, true)]
    [InlineData("bo@team.example", "team.example", true)]
    [InlineData("bo@team.example", "other.example", false)]   // a Workspace elsewhere using an address at our domain
    [InlineData("bo@sub.team.example", null, false)]          // subdomains are not the domain
    [InlineData("eve@example.com", null, false)]
    [InlineData("team.example", null, false)]
    public void The_allow_list_takes_emails_or_their_domain_with_hd_when_present(string email, string? hd, bool allowed)
    {
        var options = new AddonOptions { OAuthClientId = "x", AllowedEmails = ["ana@example.com"], AllowedDomains = ["team.example"] };

        Assert.Equal(allowed, options.Allows(email.ToLowerInvariant(), hd));
    }

    [Fact]
    public async Task The_add_on_service_serves_no_stage_but_the_add_on_and_job_status()
    {
        await using var addon = await AddonHost.StartAsync(settings: new Dictionary<string, string?> { [FunctionsApp.FunctionTargetVariable] = FunctionsApp.AddonTarget });

        var (stage, _) = await addon.SendAsync(HttpMethod.Post, "/stages/trends", TestHost.Token, """{"jobId":"0195f3d2-0000-7000-8000-000000000001","generation":1}""");
        var (submit, body) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three tips for sourdough", "30")]));
        var (status, _) = await addon.SendAsync(HttpMethod.Get, $"/jobs/{(string)body!["results"]![0]!["jobId"]!}", addon.IdentityToken());

        Assert.Empty(FunctionsApp.StagesToServe(FunctionsApp.AddonTarget));
        Assert.Equal(HttpStatusCode.NotFound, stage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }
}

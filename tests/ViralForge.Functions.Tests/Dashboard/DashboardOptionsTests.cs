using System.ComponentModel.DataAnnotations;
using ViralForge.Functions.Dashboard;

namespace ViralForge.Functions.Tests.Dashboard;

/// <summary>A bad Dashboard setting is one sentence naming it and the fix, at start-up.</summary>
public sealed class DashboardOptionsTests
{
    [Theory]
    [InlineData("Auth", "okta", "Dashboard:Auth 'okta' is not a mode; use loopback (this machine only) or google (Google sign-in).")]
    [InlineData("PageSize", "0", "Dashboard:PageSize 0 must be from 1 to 500.")]
    [InlineData("EventsPollInterval", "00:00:00.010", "Dashboard:EventsPollInterval 00:00:00.0100000 must be from 00:00:00.1 to 00:01:00.")]
    [InlineData("OAuthClientId", " 123.apps.googleusercontent.com", "Dashboard:OAuthClientId has spaces around it; it must equal the tokens' aud exactly.")]
    public void A_bad_setting_is_named(string key, string value, string message)
    {
        var options = new DashboardOptions();
        switch (key)
        {
            case "Auth": options.Auth = value; break;
            case "PageSize": options.PageSize = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "EventsPollInterval": options.EventsPollInterval = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            default: options.OAuthClientId = value; break;
        }
        var problems = options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage).ToList();
        Assert.Equal([message], problems);
    }

    [Fact]
    public async Task Google_sign_in_with_nobody_allowed_stops_the_host_naming_both_settings()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TestHost.StartAsync(dispatch: false, settings: new Dictionary<string, string?>
        {
            ["Dashboard:Auth"] = "google",
            ["Dashboard:OAuthClientId"] = "99887766-dashboardwebclient.apps.googleusercontent.com",
        }));
        Assert.Contains("Addon:AllowedEmails and Addon:AllowedDomains are empty, so nobody could sign in", failure.Message, StringComparison.Ordinal);
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Webhooks;
using ViralForge.Core;
using ViralForge.Core.Webhooks;

namespace ViralForge.Adapters.Tests.Webhooks;

public sealed class WebhookAddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("10.0.0.5", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.20", "private")]
    [InlineData("2002:0a00:0001::", "private")]
    [InlineData("169.254.10.10", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("::ffff:169.254.169.254", "metadata")]
    [InlineData("64:ff9b::a9fe:a9fe", "metadata")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.254", "carrier-grade NAT")]
    [InlineData("fc00::1", "unique-local")]
    [InlineData("fd00:ec2::254", "unique-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("240.0.0.1", "reserved")]
    public void Each_class_of_non_public_address_is_refused_by_name(string address, string reason)
    {
        Assert.Equal(reason, WebhookAddressGuard.RefusalFor(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.4.4")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.Null(WebhookAddressGuard.RefusalFor(IPAddress.Parse(address)));
    }

    [Fact]
    public void Allowing_private_networks_locally_still_never_allows_the_metadata_server()
    {
        Assert.Null(WebhookAddressGuard.RefusalFor(IPAddress.Loopback, allowPrivateNetworks: true));
        Assert.Null(WebhookAddressGuard.RefusalFor(IPAddress.Parse("10.1.2.3"), allowPrivateNetworks: true));
        Assert.Equal("metadata", WebhookAddressGuard.RefusalFor(IPAddress.Parse("169.254.169.254"), allowPrivateNetworks: true));
        Assert.Equal("metadata", WebhookAddressGuard.RefusalFor(IPAddress.Parse("::ffff:169.254.169.254"), allowPrivateNetworks: true));
    }

    [Theory]
    [InlineData("http://hooks.example.com/x", "gcp", "must use https")]
    [InlineData("ftp://hooks.example.com/x", "local", "absolute https URL")]
    [InlineData("/relative/hook", "local", "absolute https URL")]
    [InlineData("", "local", "absolute https URL")]
    [InlineData("https://user:pw@hooks.example.com/x", "local", "user name or password")]
    [InlineData("https://metadata.google.internal/computeMetadata/v1/", "local", "metadata")]
    [InlineData("http://metadata/computeMetadata/v1/", "local", "metadata")]
    [InlineData("https://localhost:8443/hook", "local", "this machine")]
    [InlineData("https://127.0.0.1/hook", "gcp", "loopback")]
    [InlineData("https://[::1]/hook", "gcp", "loopback")]
    [InlineData("https://169.254.169.254/latest/meta-data", "gcp", "metadata")]
    [InlineData("https://10.0.0.7/hook", "gcp", "private")]
    [InlineData("https://100.100.1.1/hook", "gcp", "carrier-grade NAT")]
    [InlineData("https://[fd12:3456::1]/hook", "gcp", "unique-local")]
    public async Task A_refused_url_gets_a_sentence_naming_the_rule(string url, string profile, string expected)
    {
        var guard = Guard(new ScriptedResolver(["93.184.216.34"]), profile == "gcp" ? ViralForgeProfile.Gcp : ViralForgeProfile.Local);

        var problem = await guard.CheckAsync(url, CancellationToken.None);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_is_allowed_locally_and_https_everywhere_for_a_public_host()
    {
        Assert.Null(await Guard(new ScriptedResolver(["93.184.216.34"]), ViralForgeProfile.Local).CheckAsync("http://hooks.example.com/x", CancellationToken.None));
        Assert.Null(await Guard(new ScriptedResolver(["93.184.216.34"]), ViralForgeProfile.Gcp).CheckAsync("https://hooks.example.com/x?team=7", CancellationToken.None));
    }

    [Fact]
    public async Task A_host_name_is_checked_on_every_address_it_resolves_to_when_subscribing()
    {
        var guard = Guard(new ScriptedResolver(["93.184.216.34", "10.0.0.9"]), ViralForgeProfile.Gcp);

        var problem = await guard.CheckAsync("https://sneaky.example.com/hook", CancellationToken.None);

        Assert.Equal("url's host sneaky.example.com is 10.0.0.9, a private address; webhooks go to public addresses only.", problem);
        Assert.Contains("does not resolve", await Guard(new ScriptedResolver([]), ViralForgeProfile.Gcp).CheckAsync("https://gone.example.com/", CancellationToken.None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_that_rebinds_to_loopback_after_subscribing_gets_no_delivery()
    {
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        // The attacker's DNS answers a public address while the subscription is checked, then this machine's.
        var resolver = new ScriptedResolver(["93.184.216.34"], ["127.0.0.1"]);
        await using var services = WebhookTestServices.Build(resolver, allowPrivateNetworks: false);
        var url = $"http://rebind.example.test:{receiver.Port}/hook";

        Assert.Null(await services.GetRequiredService<WebhookAddressGuard>().CheckAsync(url, CancellationToken.None));
        var response = await services.GetRequiredService<IWebhookSender>().SendAsync(Delivery(url), CancellationToken.None);

        Assert.Null(response.StatusCode);
        Assert.False(response.Succeeded);
        Assert.Equal("refused by the SSRF guard: url's host rebind.example.test is 127.0.0.1, a loopback address; webhooks go to public addresses only.", response.Error);
        Assert.Empty(receiver.LogEntries);
        Assert.Equal(2, resolver.Lookups);
    }

    [Fact]
    public async Task The_same_delivery_reaches_a_local_receiver_when_private_networks_are_allowed()
    {
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        await using var services = WebhookTestServices.Build(new ScriptedResolver(["127.0.0.1"]), allowPrivateNetworks: true);

        var response = await services.GetRequiredService<IWebhookSender>().SendAsync(Delivery($"http://rebind.example.test:{receiver.Port}/hook"), CancellationToken.None);

        Assert.Equal(204, response.StatusCode);
        var entry = Assert.Single(receiver.LogEntries);
        Assert.Equal("msg_1", Header(entry, "webhook-id"));
        Assert.Equal("1700000000", Header(entry, "webhook-timestamp"));
        Assert.Equal("v1,abc", Header(entry, "webhook-signature"));
        Assert.Equal("{\"a\":1}", entry.RequestMessage.Body);
        Assert.StartsWith("application/json", Header(entry, "Content-Type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_literal_loopback_url_is_refused_at_delivery_too()
    {
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        await using var services = WebhookTestServices.Build(new ScriptedResolver(["93.184.216.34"]), allowPrivateNetworks: false);

        var response = await services.GetRequiredService<IWebhookSender>().SendAsync(Delivery($"http://127.0.0.1:{receiver.Port}/hook"), CancellationToken.None);

        Assert.Contains("refused by the SSRF guard", response.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.LogEntries);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_counts_as_a_failure()
    {
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/hook").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(307).WithHeader("Location", "http://169.254.169.254/latest/meta-data"));
        await using var services = WebhookTestServices.Build(new ScriptedResolver(["127.0.0.1"]), allowPrivateNetworks: true);

        var response = await services.GetRequiredService<IWebhookSender>().SendAsync(Delivery($"http://hooks.example.test:{receiver.Port}/hook"), CancellationToken.None);

        Assert.Equal(307, response.StatusCode);
        Assert.False(response.Succeeded);
        Assert.Single(receiver.LogEntries);
    }

    [Fact]
    public void Allowing_private_networks_under_gcp_stops_the_host_with_the_setting_named()
    {
        using var services = WebhookTestServices.Build(new ScriptedResolver(["93.184.216.34"]), allowPrivateNetworks: true, profile: ViralForgeProfile.Gcp);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WebhookOptions>>().Value);

        Assert.Contains("ViralForge:Webhooks:AllowPrivateNetworks is for the local profile only", error.Message, StringComparison.Ordinal);
    }

    internal static string Header(WireMock.Logging.ILogEntry entry, string name) =>
        entry.RequestMessage.Headers!.Single(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value.Single();

    private static WebhookRequest Delivery(string url) => new(new Uri(url), "msg_1", 1700000000, "v1,abc", "{\"a\":1}");

    private static WebhookAddressGuard Guard(IHostResolver resolver, ViralForgeProfile profile) =>
        new(resolver, Options.Create(new WebhookOptions()), profile);
}

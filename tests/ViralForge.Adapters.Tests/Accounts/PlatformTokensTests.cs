using Microsoft.Extensions.Options;
using ViralForge.Adapters.Accounts;
using ViralForge.Adapters.TikTok;
using ViralForge.Adapters.Tests.Voices;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Accounts;

/// <summary>Refresh on use against WireMock playing Google's and TikTok's token endpoints, with the vault in PostgreSQL.</summary>
public sealed class PlatformTokensTests : IDisposable
{
    private const string ClientSecret = "GOCSPX-client-secret-value";
    private const string TikTokSecret = "tiktok-client-secret-value";
    private static readonly PlatformAccount Channel = new("youtube", "UCabc123", "Garden Tips");
    private static readonly PlatformAccount TikTokAccount = new("tiktok", "open-id-1", "gardentips");

    private readonly WireMockServer server = WireMockServer.Start();

    [Fact]
    public async Task Google_refresh_sends_the_documented_form_and_the_access_token_is_kept_until_shortly_before_it_expires()
    {
        await using var db = await TestDatabase.CreateAsync();
        var vault = AccountVaultTests.Vault(db, AccountKey.FromBytes(AccountVaultTests.Key(1)));
        await vault.SaveAsync(Channel, "1//refresh-google", CancellationToken.None);
        server.Given(Request.Create().WithPath("/token").UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithBody("""{"access_token":"ya29.access-1","expires_in":3599,"scope":"https://www.googleapis.com/auth/youtube.upload","token_type":"Bearer"}"""));
        using var tokens = Tokens(vault);

        var first = await tokens.GetAccessAsync("youtube", null, CancellationToken.None);
        var second = await tokens.GetAccessAsync("youtube", "Garden Tips", CancellationToken.None);

        Assert.Equal(new PlatformAccess(Channel, "ya29.access-1"), first);
        Assert.Equal(first, second);
        var sent = Assert.Single(server.LogEntries);
        Assert.Equal("application/x-www-form-urlencoded", sent.RequestMessage.Headers!["Content-Type"].Single().Split(';')[0]);
        Assert.Equal(
            "client_id=client-id.apps.googleusercontent.com&client_secret=GOCSPX-client-secret-value&refresh_token=1%2F%2Frefresh-google&grant_type=refresh_token",
            sent.RequestMessage.Body);
        // Google does not rotate: the stored token is the same one.
        Assert.Equal("1//refresh-google", await vault.ReadRefreshTokenAsync(Channel, CancellationToken.None));
    }

    [Fact]
    public async Task A_token_within_RefreshBefore_of_its_expiry_is_refreshed_again()
    {
        await using var db = await TestDatabase.CreateAsync();
        var vault = AccountVaultTests.Vault(db, AccountKey.FromBytes(AccountVaultTests.Key(1)));
        await vault.SaveAsync(Channel, "1//refresh-google", CancellationToken.None);
        // 240 s is inside the 5 minutes RefreshBefore leaves: every use refreshes.
        server.Given(Request.Create().WithPath("/token").UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithBody("""{"access_token":"ya29.short","expires_in":240,"token_type":"Bearer"}"""));
        using var tokens = Tokens(vault);

        await tokens.GetAccessAsync("youtube", null, CancellationToken.None);
        await tokens.GetAccessAsync("youtube", null, CancellationToken.None);

        Assert.Equal(2, tokens.Refreshes);
    }

    [Fact]
    public async Task Invalid_grant_marks_the_channel_reconnect_required_and_later_uses_say_so_without_asking_Google()
    {
        await using var db = await TestDatabase.CreateAsync();
        var vault = AccountVaultTests.Vault(db, AccountKey.FromBytes(AccountVaultTests.Key(1)));
        await vault.SaveAsync(Channel, "1//revoked-refresh-token", CancellationToken.None);
        server.Given(Request.Create().WithPath("/token").UsingPost()).RespondWith(Response.Create().WithStatusCode(400)
            .WithBody("""{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"""));
        using var tokens = Tokens(vault);

        var e = await Assert.ThrowsAsync<ReconnectRequiredException>(() => tokens.GetAccessAsync("youtube", null, CancellationToken.None));

        Assert.Equal("Reconnect YouTube (Garden Tips): YouTube refused the stored grant (400 invalid_grant: Token has been expired or revoked.); run ./vf connect youtube", e.Message);
        Assert.DoesNotContain("revoked-refresh-token", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecret, e.Message, StringComparison.Ordinal);
        Assert.NotNull(Assert.Single(await vault.ListAsync(CancellationToken.None)).ReconnectReason);
        var again = await Assert.ThrowsAsync<ReconnectRequiredException>(() => tokens.GetAccessAsync("youtube", null, CancellationToken.None));
        Assert.Contains("invalid_grant", again.Message, StringComparison.Ordinal);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task TikTok_refresh_rotates_the_refresh_token_and_the_new_one_is_stored_before_the_access_token_is_used()
    {
        await using var db = await TestDatabase.CreateAsync();
        var vault = AccountVaultTests.Vault(db, AccountKey.FromBytes(AccountVaultTests.Key(1)));
        await vault.SaveAsync(TikTokAccount, "rft.first", CancellationToken.None);
        server.Given(Request.Create().WithPath("/v2/oauth/token/").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("""
            {"access_token":"act.access-1","expires_in":7200,"open_id":"open-id-1","refresh_expires_in":15552000,
             "refresh_token":"rft.second","scope":"user.info.basic,video.publish","token_type":"Bearer"}
            """));
        using var tokens = Tokens(vault);

        var access = await tokens.GetAccessAsync("tiktok", null, CancellationToken.None);

        Assert.Equal("act.access-1", access.AccessToken);
        Assert.Equal("rft.second", await vault.ReadRefreshTokenAsync(TikTokAccount, CancellationToken.None));
        var sent = Assert.Single(server.LogEntries);
        Assert.Equal("client_key=tiktok-client-key&client_secret=tiktok-client-secret-value&grant_type=refresh_token&refresh_token=rft.first", sent.RequestMessage.Body);
    }

    [Fact]
    public async Task Two_processes_refreshing_at_once_each_spend_the_latest_rotated_token_never_the_same_one_twice()
    {
        await using var db = await TestDatabase.CreateAsync();
        var key = AccountKey.FromBytes(AccountVaultTests.Key(1));
        await AccountVaultTests.Vault(db, key).SaveAsync(TikTokAccount, "rft.1", CancellationToken.None);
        // TikTok as it behaves: each refresh token works once and is answered with the next one.
        var spent = new HashSet<string>();
        server.Given(Request.Create().WithPath("/v2/oauth/token/").UsingPost()).RespondWith(Response.Create().WithCallback(request =>
        {
            var token = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.Body)["refresh_token"].ToString();
            bool fresh;
            lock (spent)
            {
                fresh = spent.Add(token);
            }
            var next = "rft." + (int.Parse(token["rft.".Length..], System.Globalization.CultureInfo.InvariantCulture) + 1);
            var body = fresh
                ? $$"""{"access_token":"act.{{token}}","expires_in":7200,"open_id":"open-id-1","refresh_token":"{{next}}","token_type":"Bearer"}"""
                : """{"error":"invalid_grant","error_description":"Refresh token is invalid or expired."}""";
            return new WireMock.ResponseMessage { StatusCode = 200, BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String } };
        }));
        // Separate vaults and token caches over one database: two hosts.
        using var first = Tokens(AccountVaultTests.Vault(db, key));
        using var second = Tokens(AccountVaultTests.Vault(db, key));

        var both = await Task.WhenAll(
            first.GetAccessAsync("tiktok", null, CancellationToken.None),
            second.GetAccessAsync("tiktok", null, CancellationToken.None));

        Assert.Equal(["act.rft.1", "act.rft.2"], both.Select(a => a.AccessToken).Order(StringComparer.Ordinal));
        Assert.Equal("rft.3", await AccountVaultTests.Vault(db, key).ReadRefreshTokenAsync(TikTokAccount, CancellationToken.None));
        Assert.Null(Assert.Single(await AccountVaultTests.Vault(db, key).ListAsync(CancellationToken.None)).ReconnectReason);
    }

    [Fact]
    public async Task TikToks_invalid_refresh_token_asks_for_vf_connect_tiktok()
    {
        await using var db = await TestDatabase.CreateAsync();
        var vault = AccountVaultTests.Vault(db, AccountKey.FromBytes(AccountVaultTests.Key(1)));
        await vault.SaveAsync(TikTokAccount, "rft.spent", CancellationToken.None);
        // TikTok answers OAuth errors with a flat error object (and not always a 4xx).
        server.Given(Request.Create().WithPath("/v2/oauth/token/").UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithBody("""{"error":"invalid_grant","error_description":"Refresh token is invalid or expired.","log_id":"2026120711"}"""));
        using var tokens = Tokens(vault);

        var e = await Assert.ThrowsAsync<ReconnectRequiredException>(() => tokens.GetAccessAsync("tiktok", null, CancellationToken.None));

        Assert.EndsWith("run ./vf connect tiktok", e.Message, StringComparison.Ordinal);
        Assert.Equal("gardentips", e.Account);
        Assert.DoesNotContain(TikTokSecret, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_row_picks_its_account_by_name_or_id_and_an_empty_Channel_takes_the_default_or_the_only_one()
    {
        await using var db = await TestDatabase.CreateAsync();
        var vault = AccountVaultTests.Vault(db, AccountKey.FromBytes(AccountVaultTests.Key(1)));
        var second = new PlatformAccount("youtube", "UCsecond", "Cooking Daily");
        await vault.SaveAsync(Channel, "r1", CancellationToken.None);
        await vault.SaveAsync(second, "r2", CancellationToken.None);
        server.Given(Request.Create().WithPath("/token").UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithBody("""{"access_token":"ya29.x","expires_in":3599}"""));

        using (var tokens = Tokens(vault))
        {
            Assert.Equal(second, (await tokens.GetAccessAsync("youtube", "cooking daily", CancellationToken.None)).Account);
            Assert.Equal(Channel, (await tokens.GetAccessAsync("youtube", "UCabc123", CancellationToken.None)).Account);
            var none = await Assert.ThrowsAsync<PermanentStageException>(() => tokens.GetAccessAsync("youtube", "", CancellationToken.None));
            Assert.Contains("Publishing:DefaultYouTubeChannel", none.Message, StringComparison.Ordinal);
            var unknown = await Assert.ThrowsAsync<ReconnectRequiredException>(() => tokens.GetAccessAsync("youtube", "Nobody", CancellationToken.None));
            Assert.Contains("no YouTube account named 'Nobody' (the row's Channel) is connected (connected: Cooking Daily, Garden Tips)", unknown.Message, StringComparison.Ordinal);
            var noTikTok = await Assert.ThrowsAsync<ReconnectRequiredException>(() => tokens.GetAccessAsync("tiktok", null, CancellationToken.None));
            Assert.Equal("Reconnect TikTok: no TikTok account is connected; run ./vf connect tiktok", noTikTok.Message);
        }
        using (var tokens = Tokens(vault, new PublishingAccountsOptions { DefaultYouTubeChannel = "Garden Tips" }))
        {
            Assert.Equal(Channel, (await tokens.GetAccessAsync("youtube", null, CancellationToken.None)).Account);
        }
    }

    private PlatformTokens Tokens(AccountVault vault, PublishingAccountsOptions? defaults = null)
    {
        var youtube = new YouTubeAccountOptions
        {
            ClientId = "client-id.apps.googleusercontent.com", ClientSecret = ClientSecret,
            TokenUrl = new Uri(server.Urls[0] + "/token"), ApiBaseUrl = new Uri(server.Urls[0] + "/youtube/v3"),
        };
        var tiktok = new TikTokOptions { ClientKey = "tiktok-client-key", ClientSecret = TikTokSecret, BaseUrl = new Uri(server.Urls[0] + "/") };
        var oauth = new PlatformOAuth(new TestHttpClients(), Options.Create(youtube), Options.Create(tiktok));
        return new PlatformTokens(vault, oauth, Options.Create(new AccountsOptions()), Options.Create(defaults ?? new PublishingAccountsOptions()), TimeProvider.System);
    }

    public void Dispose() => server.Stop();
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using Spectre.Console;
using ViralForge.Adapters.Accounts;
using ViralForge.Cli;
using ViralForge.Core.Ports;
using ViralForge.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ViralForge.Cli.Tests.Accounts;

/// <summary>`vf connect` end to end: WireMock plays Google and TikTok, the test plays the browser on the loopback redirect.</summary>
public sealed class ConnectTests : IDisposable
{
    private const string ClientSecret = "GOCSPX-connect-secret";
    private const string TikTokSecret = "tiktok-connect-secret";
    private static readonly byte[] Key = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 3 + 1))];

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly StringWriter output = new();
    private Dictionary<string, StringValues> authorize = [];
    private HttpStatusCode? browserGot;

    [Fact]
    public async Task Connect_youtube_exchanges_the_code_with_the_PKCE_verifier_and_stores_the_channel_encrypted()
    {
        await using var db = await TestDatabase.CreateAsync();
        server.Given(Request.Create().WithPath("/token").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(
            """{"access_token":"ya29.connect","expires_in":3599,"refresh_token":"1//connect-refresh","scope":"https://www.googleapis.com/auth/youtube.upload","token_type":"Bearer"}"""));
        server.Given(Request.Create().WithPath("/youtube/v3/channels").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(
            """{"kind":"youtube#channelListResponse","items":[{"kind":"youtube#channel","id":"UCgarden","snippet":{"title":"Garden Tips"}}]}"""));

        var exit = await RunAsync(db, "youtube", Browser());

        Assert.Equal(0, exit);
        Assert.Equal(HttpStatusCode.OK, browserGot);
        Assert.EndsWith("Connected YouTube channel Garden Tips", output.ToString().TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(("client-id.apps.googleusercontent.com", "code", "S256", "offline", "consent"),
            (authorize["client_id"].ToString(), authorize["response_type"].ToString(), authorize["code_challenge_method"].ToString(), authorize["access_type"].ToString(), authorize["prompt"].ToString()));
        var redirect = new Uri(authorize["redirect_uri"].ToString());
        Assert.Equal(("127.0.0.1", "/callback/"), (redirect.Host, redirect.AbsolutePath));

        var form = QueryHelpers.ParseQuery(Sent("/token").Body);
        Assert.Equal(("4/0Acode", "authorization_code", redirect.ToString(), "client-id.apps.googleusercontent.com", ClientSecret),
            (form["code"].ToString(), form["grant_type"].ToString(), form["redirect_uri"].ToString(), form["client_id"].ToString(), form["client_secret"].ToString()));
        var verifier = form["code_verifier"].ToString();
        Assert.InRange(verifier.Length, 43, 128);
        Assert.Equal(authorize["code_challenge"].ToString(), Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
        var channels = Sent("/youtube/v3/channels");
        Assert.Equal("Bearer ya29.connect", channels.Headers!["Authorization"].Single());
        Assert.Contains("mine=true", channels.Url, StringComparison.Ordinal);

        var vault = new AccountVault(db.DataSource, new TokenCipher(AccountKey.FromBytes(Key)), TimeProvider.System);
        var account = new PlatformAccount("youtube", "UCgarden", "Garden Tips");
        Assert.Equal(account, Assert.Single(await vault.ListAsync(CancellationToken.None)).Account);
        Assert.Equal("1//connect-refresh", await vault.ReadRefreshTokenAsync(account, CancellationToken.None));
        Assert.DoesNotContain("1//connect-refresh", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecret, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_tiktok_sends_the_hex_S256_challenge_Login_Kit_for_Desktop_takes_and_names_the_account_from_creator_info()
    {
        await using var db = await TestDatabase.CreateAsync();
        server.Given(Request.Create().WithPath("/v2/oauth/token/").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(
            """{"access_token":"act.connect","expires_in":7200,"open_id":"open-garden","refresh_expires_in":15552000,"refresh_token":"rft.connect","scope":"user.info.basic,video.publish","token_type":"Bearer"}"""));
        server.Given(Request.Create().WithPath("/v2/post/publish/creator_info/query/").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(
            """{"data":{"creator_username":"gardentips","creator_nickname":"Garden Tips","privacy_level_options":["SELF_ONLY"],"max_video_post_duration_sec":600},"error":{"code":"ok","message":"","log_id":"L1"}}"""));

        var exit = await RunAsync(db, "tiktok", Browser());

        Assert.Equal(0, exit);
        Assert.EndsWith("Connected TikTok account gardentips", output.ToString().TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(("tiktok-client-key", "user.info.basic,video.publish,video.list", "S256"),
            (authorize["client_key"].ToString(), authorize["scope"].ToString(), authorize["code_challenge_method"].ToString()));
        var form = QueryHelpers.ParseQuery(Sent("/v2/oauth/token/").Body);
        Assert.Equal(("tiktok-client-key", TikTokSecret, "4/0Acode", "authorization_code", authorize["redirect_uri"].ToString()),
            (form["client_key"].ToString(), form["client_secret"].ToString(), form["code"].ToString(), form["grant_type"].ToString(), form["redirect_uri"].ToString()));
        Assert.Equal(authorize["code_challenge"].ToString(), Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))));
        Assert.Equal("Bearer act.connect", Sent("/v2/post/publish/creator_info/query/").Headers!["Authorization"].Single());
        var vault = new AccountVault(db.DataSource, new TokenCipher(AccountKey.FromBytes(Key)), TimeProvider.System);
        Assert.Equal("rft.connect", await vault.ReadRefreshTokenAsync(new PlatformAccount("tiktok", "open-garden", "gardentips"), CancellationToken.None));
    }

    [Fact]
    public async Task A_redirect_with_another_state_is_refused_and_no_code_is_exchanged()
    {
        await using var db = await TestDatabase.CreateAsync();

        var e = await Assert.ThrowsAsync<CliProblemException>(() => RunAsync(db, "youtube", Browser(state: "forged-state")));

        Assert.Contains("another state than this vf connect sent", e.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, browserGot);
        Assert.Empty(server.LogEntries);
        Assert.Equal(2, await CliErrors.ReportAsync(e, verbose: false, new StringWriter()));
    }

    [Fact]
    public async Task A_declined_consent_says_so_and_stores_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();

        var e = await Assert.ThrowsAsync<CliProblemException>(() => RunAsync(db, "tiktok", Browser(error: "access_denied")));

        Assert.Equal("TikTok did not grant access (access_denied); run vf connect tiktok again and allow it", e.Message);
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task No_sign_in_within_the_timeout_is_one_line_saying_what_to_do()
    {
        await using var db = await TestDatabase.CreateAsync();

        var e = await Assert.ThrowsAsync<CliProblemException>(() => RunAsync(db, "youtube", (_, _) => Task.CompletedTask, TimeSpan.FromSeconds(1)));

        Assert.Equal("no sign-in came back within 1 s; run vf connect youtube again and open the page it prints (--timeout gives more time)", e.Message);
    }

    [Fact]
    public async Task A_missing_client_id_names_the_settings_before_anything_is_opened()
    {
        await using var db = await TestDatabase.CreateAsync();
        var opened = false;

        var e = await Assert.ThrowsAsync<CliProblemException>(() => Connect.RunAsync(
            new ConnectArguments("youtube", false, TimeSpan.FromSeconds(5)), Settings(without: "YouTube:ClientId"), Console(), CancellationToken.None, db.ConnectionString,
            (_, _) => { opened = true; return Task.CompletedTask; }));

        Assert.StartsWith("YouTube:ClientId and YouTube:ClientSecret must be set", e.Message, StringComparison.Ordinal);
        Assert.False(opened);
    }

    [Fact]
    public async Task List_shows_each_account_and_one_that_must_be_connected_again()
    {
        await using var db = await TestDatabase.CreateAsync();
        var vault = new AccountVault(db.DataSource, new TokenCipher(AccountKey.FromBytes(Key)), TimeProvider.System);
        await vault.SaveAsync(new PlatformAccount("youtube", "UCgarden", "Garden Tips"), "r1", CancellationToken.None);
        var tiktok = new PlatformAccount("tiktok", "open-garden", "gardentips");
        await vault.SaveAsync(tiktok, "r2", CancellationToken.None);
        await vault.MarkReconnectRequiredAsync(tiktok, "TikTok refused the stored grant", CancellationToken.None);

        var exit = await Connect.RunAsync(new ConnectArguments(null, true, TimeSpan.FromSeconds(5)), Settings(), Console(), CancellationToken.None, db.ConnectionString);

        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.Contains("Garden Tips", text, StringComparison.Ordinal);
        Assert.Contains("UCgarden", text, StringComparison.Ordinal);
        Assert.Contains("reconnect: TikTok refused the stored grant; run vf connect tiktok", text, StringComparison.Ordinal);
    }

    private Task<int> RunAsync(TestDatabase db, string platform, Func<Uri, CancellationToken, Task> browser, TimeSpan? timeout = null) =>
        Connect.RunAsync(new ConnectArguments(platform, false, timeout ?? TimeSpan.FromSeconds(30)), Settings(), Console(), CancellationToken.None, db.ConnectionString, browser);

    /// <summary>Plays the person's browser: reads the authorize URL and requests the loopback redirect as the platform would send it.</summary>
    private Func<Uri, CancellationToken, Task> Browser(string? state = null, string? error = null) => async (url, cancellationToken) =>
    {
        authorize = QueryHelpers.ParseQuery(url.Query);
        var query = error is null
            ? $"code={Uri.EscapeDataString("4/0Acode")}&scope=x&state={Uri.EscapeDataString(state ?? authorize["state"].ToString())}"
            : $"error={error}&state={Uri.EscapeDataString(authorize["state"].ToString())}";
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"{authorize["redirect_uri"]}?{query}"), cancellationToken);
        browserGot = response.StatusCode;
    };

    private IConfiguration Settings(string? without = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Accounts:EncryptionKey"] = Convert.ToBase64String(Key),
            ["YouTube:ClientId"] = "client-id.apps.googleusercontent.com",
            ["YouTube:ClientSecret"] = ClientSecret,
            ["YouTube:TokenUrl"] = server.Urls[0] + "/token",
            ["YouTube:ApiBaseUrl"] = server.Urls[0] + "/youtube/v3",
            ["TikTok:ClientKey"] = "tiktok-client-key",
            ["TikTok:ClientSecret"] = TikTokSecret,
            ["TikTok:BaseUrl"] = server.Urls[0] + "/",
        };
        if (without is not null)
        {
            settings.Remove(without);
        }
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private WireMock.Logging.ILogEntry SentEntry(string path) => Assert.Single(server.LogEntries, e => e.RequestMessage.Path == path);

    private WireMock.IRequestMessage Sent(string path) => SentEntry(path).RequestMessage;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private IAnsiConsole Console() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });

    public void Dispose()
    {
        server.Stop();
        output.Dispose();
    }
}

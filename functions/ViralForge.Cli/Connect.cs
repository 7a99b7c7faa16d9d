using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using Spectre.Console;
using ViralForge.Adapters.Accounts;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Cli;

/// <summary>`vf connect youtube|tiktok [--timeout seconds]` or `vf connect --list`.</summary>
public sealed record ConnectArguments(string? Platform, bool List, TimeSpan Timeout);

/// <summary>
/// `vf connect`: the OAuth flow of an installed app. A loopback listener on 127.0.0.1 at a random port takes the
/// redirect; state and PKCE (S256) guard it; the code is exchanged for a refresh token, the account's id and name are
/// read (YouTube channels.list?mine=true, TikTok creator_info), and the vault stores it encrypted. The URL to open is
/// printed (and handed to xdg-open when it is installed); nothing but the account's name is printed back.
/// </summary>
public static class Connect
{
    /// <summary>The settings vf connect reads: environment variables (YouTube__ClientId, TikTok__ClientKey, Accounts__EncryptionKey, ...).</summary>
    public static IConfiguration Configuration() => new ConfigurationBuilder().AddEnvironmentVariables().Build();

    /// <param name="databaseUrl">The database (tests give theirs); VF_DATABASE_URL when null.</param>
    /// <param name="openBrowser">Shows the person the sign-in page (tests play the browser); xdg-open when it is installed, when null.</param>
    public static async Task<int> RunAsync(
        ConnectArguments arguments, IConfiguration configuration, IAnsiConsole console, CancellationToken cancellationToken,
        string? databaseUrl = null, Func<Uri, CancellationToken, Task>? openBrowser = null, IHttpClientFactory? httpClients = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(console);
        databaseUrl = databaseUrl is null ? LocalRuntime.DatabaseUrl() : CliErrors.DatabaseUrl(databaseUrl);
        var services = new ServiceCollection();
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(PostgresConnection.ToConnectionString(databaseUrl)).Build());
        services.AddPlatformAccounts(configuration);
        if (httpClients is not null)
        {
            services.AddSingleton(httpClients);
        }
        await using var provider = services.BuildServiceProvider();
        // The accounts table may be the first thing this database holds: vf connect can run before any host started.
        await new SchemaMigrator(provider.GetRequiredService<NpgsqlDataSource>()).MigrateAsync(cancellationToken);
        try
        {
            if (arguments.List)
            {
                await ListAsync(provider.GetRequiredService<AccountVault>(), console, cancellationToken);
                return 0;
            }
            var platform = arguments.Platform ?? throw new CliProblemException("give the platform to connect: vf connect youtube or vf connect tiktok");
            var oauth = provider.GetRequiredService<PlatformOAuth>();
            if (oauth.MissingClient(platform) is { } missing)
            {
                throw new CliProblemException(missing);
            }
            // The key is loaded (or its file created) before the person signs in, so a bad key costs no sign-in.
            var vault = provider.GetRequiredService<AccountVault>();
            var account = await SignInAsync(platform, oauth, vault, arguments.Timeout, console, openBrowser ?? XdgOpenAsync, cancellationToken);
            console.WriteLine($"Connected {PlatformNames.Title(platform)} {(platform == PlatformNames.YouTube ? "channel" : "account")} {account.Name}");
            return 0;
        }
        catch (PermanentStageException e)
        {
            // AccountKeyException and the platforms' refusals: already the sentence a person acts on.
            throw new CliProblemException(e.Message, e);
        }
        catch (OptionsValidationException e)
        {
            throw new CliProblemException(string.Join("; ", e.Failures), e);
        }
    }

    private static async Task<PlatformAccount> SignInAsync(
        string platform, PlatformOAuth oauth, AccountVault vault, TimeSpan timeout, IAnsiConsole console,
        Func<Uri, CancellationToken, Task> openBrowser, CancellationToken cancellationToken)
    {
        var port = FreeLoopbackPort();
        // TikTok's desktop redirect URIs are registered as http://127.0.0.1:*/callback/; Google takes any loopback port and path.
        var redirect = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/callback/");
        using var listener = new HttpListener();
        listener.Prefixes.Add(redirect.ToString());
        listener.Start();
        var state = PlatformOAuth.NewState();
        var verifier = PlatformOAuth.NewVerifier();
        var url = oauth.AuthorizeUrl(platform, redirect, state, PlatformOAuth.Challenge(platform, verifier));
        // A wrapped URL cannot be pasted: the line is as wide as the URL.
        console.Profile.Width = Math.Max(console.Profile.Width, url.AbsoluteUri.Length + 1);
        console.WriteLine($"Open this page in a browser and allow ViralForge to post to your {PlatformNames.Title(platform)} account:");
        console.WriteLine(url.AbsoluteUri);
        console.WriteLine($"Waiting up to {timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s for the sign-in to come back to {redirect}");
        // Not awaited before the listener waits: a browser (or a test playing one) waits for our answer to its redirect.
        var browser = openBrowser(url, cancellationToken);

        HttpListenerContext context;
        try
        {
            context = await listener.GetContextAsync().WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new CliProblemException(
                $"no sign-in came back within {timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s; run vf connect {platform} again and open the page it prints (--timeout gives more time)", e);
        }
        var query = context.Request.QueryString;
        string code;
        try
        {
            if (query["state"] != state)
            {
                await AnswerAsync(context, HttpStatusCode.BadRequest, "This sign-in was not started by the vf connect that is waiting. Run vf connect again.");
                throw new CliProblemException(
                    $"the sign-in came back with another state than this vf connect sent (an old browser tab, or a request it did not start), so it was refused; run vf connect {platform} again");
            }
            if (query["error"] is { Length: > 0 } error)
            {
                await AnswerAsync(context, HttpStatusCode.OK, "ViralForge was not allowed to connect. You can close this tab.");
                throw new CliProblemException($"{PlatformNames.Title(platform)} did not grant access ({error}); run vf connect {platform} again and allow it");
            }
            code = query["code"] is { Length: > 0 } c ? c : throw new CliProblemException($"the sign-in came back without a code; run vf connect {platform} again");
            await AnswerAsync(context, HttpStatusCode.OK, "ViralForge got the sign-in. You can close this tab and go back to the terminal.");
        }
        finally
        {
            await IgnoreFailureAsync(browser);
        }

        var tokens = await oauth.ExchangeCodeAsync(platform, code, verifier, redirect, cancellationToken);
        if (tokens.RefreshToken is not { Length: > 0 } refreshToken)
        {
            throw new CliProblemException(platform == PlatformNames.YouTube
                ? "Google gave no refresh token; remove ViralForge's access at https://myaccount.google.com/permissions and run vf connect youtube again"
                : "TikTok gave no refresh token; run vf connect tiktok again");
        }
        var account = await oauth.ReadAccountAsync(platform, tokens, cancellationToken);
        await vault.SaveAsync(account, refreshToken, cancellationToken);
        return account;
    }

    private static async Task ListAsync(AccountVault vault, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var accounts = await vault.ListAsync(cancellationToken);
        if (accounts.Count == 0)
        {
            console.WriteLine("No account is connected; run vf connect youtube or vf connect tiktok.");
            return;
        }
        // One line per account, never wrapped, so a script can grep it.
        console.Profile.Width = Math.Max(console.Profile.Width, 400);
        foreach (var a in accounts)
        {
            var state = a.ReconnectReason is { } reason ? $"reconnect: {reason}; run vf connect {a.Account.Platform}" : "ok";
            console.WriteLine(
                $"{PlatformNames.Title(a.Account.Platform),-8} {a.Account.Name} ({a.Account.AccountId})  connected {Time(a.ConnectedAt)}, refreshed {(a.RefreshedAt is { } r ? Time(r) : "never")}  {state}");
        }
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static async Task AnswerAsync(HttpListenerContext context, HttpStatusCode status, string sentence)
    {
        var html = Encoding.UTF8.GetBytes($"<!doctype html><meta charset=\"utf-8\"><title>ViralForge</title><p>{WebUtility.HtmlEncode(sentence)}</p>");
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength64 = html.Length;
        await context.Response.OutputStream.WriteAsync(html);
        context.Response.Close();
    }

    private static async Task IgnoreFailureAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception) when (!task.IsCanceled)
        {
            // The browser's own trouble (xdg-open missing a desktop) is not the sign-in's: the printed URL still works.
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A port no one listens on now; the listener binds it right after (a race with another program is unlikely and fails loudly).</summary>
    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Opens the page with xdg-open when it is on PATH (a desktop session); otherwise the printed URL is the way.</summary>
    private static Task XdgOpenAsync(Uri url, CancellationToken cancellationToken)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, "xdg-open")).FirstOrDefault(File.Exists);
        if (path is null)
        {
            return Task.CompletedTask;
        }
        var start = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(url.AbsoluteUri);
        using var process = Process.Start(start);
        return Task.CompletedTask;
    }
}

using Microsoft.AspNetCore.Connections;
using Spectre.Console;
using ViralForge.Bot;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Functions;

namespace ViralForge.Cli;

/// <summary>
/// `vf serve`: hosts the functions and the review bot in one process, listening where ASPNETCORE_URLS says, with the
/// review page at /review and the dashboard at / for the person at this machine. Videos wait for a decision from the page (or Slack and Teams
/// when configured). With --sheet it submits the sheet's rows and writes their status back while it serves.
/// Runs until Ctrl-C.
/// </summary>
public static class Serve
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <param name="urls">Where to listen (ASPNETCORE_URLS's format); null reads ASPNETCORE_URLS, then <see cref="DefaultUrl"/>.</param>
    /// <param name="settings">Settings over the environment's (tests use them; vf passes none).</param>
    /// <param name="started">Called with the review page's address once the host listens (and the sheet is submitted).</param>
    /// <param name="error">Where a port already in use is said; standard error unless given.</param>
    public static async Task<int> RunAsync(string? sheetPath, IAnsiConsole console, CancellationToken cancellationToken,
        string? urls = null, IReadOnlyDictionary<string, string?>? settings = null, Action<Uri>? started = null, TextWriter? error = null)
    {
        // What a person can fix is checked before the host starts, each with one line (CliErrors).
        sheetPath = sheetPath is null ? null : LocalRuntime.CheckSheet(sheetPath);
        urls ??= Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultUrl;
        var listen = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? DefaultUrl;
        if (PageBase(listen) is not { } baseUrl)
        {
            console.MarkupLineInterpolated($"[red]ASPNETCORE_URLS '{urls}' is not an address to listen on; use one like {DefaultUrl}.[/]");
            return 2;
        }

        var all = new Dictionary<string, string?>
        {
            ["ViralForge:Review:Mode"] = "bot",
            ["ViralForge:Review:PageBaseUrl"] = baseUrl.ToString(),
            [Adapters.Postgres.PostgresConnection.EnvironmentVariable] = CliErrors.DatabaseUrl(settings?.GetValueOrDefault(Adapters.Postgres.PostgresConnection.EnvironmentVariable)
                ?? Environment.GetEnvironmentVariable(Adapters.Postgres.PostgresConnection.EnvironmentVariable)),
        };
        LocalRuntime.CheckFfmpeg(settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = FunctionsApp.Create([], builder =>
        {
            builder.WebHost.UseUrls(urls);
            builder.Configuration.AddInMemoryCollection(all);
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.None);
            // A port in use is said in one line below, not with the host's stack trace.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
            // Antiforgery's keys live in the user's profile; that they are not encrypted at rest is no news on a local machine.
            builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
            builder.Services.AddReviewBot(builder.Configuration);
            LocalRuntime.OwnShutdown(builder);
        }, app => app.MapReviewBot());
        RunningHost running;
        try
        {
            running = await RunningHost.StartAsync(app, cancellationToken);
        }
        catch (IOException ex) when (ex.InnerException is AddressInUseException)
        {
            // Plain stderr: one line, not wrapped to the terminal's width.
            await (error ?? Console.Error).WriteLineAsync($"vf serve: {listen} is already in use; stop what listens there or set ASPNETCORE_URLS to another address.");
            return 2;
        }
        await using var stopAtEnd = running;

        var page = new Uri(baseUrl, "review");
        console.MarkupLineInterpolated($"Review page: [blue link]{page}[/]");
        console.MarkupLineInterpolated($"Dashboard: [blue link]{baseUrl}[/]");
        // The host logs these at Information, which vf's console logging (warnings only) does not show.
        foreach (var line in app.Services.GetRequiredService<Adapters.ProviderReport>().Lines)
        {
            console.MarkupLineInterpolated($"[grey]{line}[/]");
        }
        var surfaces = app.Services.GetServices<IReviewPoster>().Select(p => p.Surface switch
        {
            "slack" => "Slack",
            "teams" => "Teams",
            var other => other,
        }).Distinct().ToList();
        if (surfaces.Count == 0)
        {
            console.MarkupLine("Review cards: only the local page (no Slack or Teams configured).");
        }
        else
        {
            console.MarkupLineInterpolated($"Review cards: {string.Join(" and ", surfaces)}, and the local page.");
        }

        if (sheetPath is not null && !await SubmitAsync(console, app.Services, sheetPath, cancellationToken))
        {
            return 2;
        }
        started?.Invoke(page);
        console.MarkupLine("Serving the functions and the review bot. Ctrl-C stops.");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine("Stopping.");
        }
        return 0;
    }

    /// <summary>Submits the sheet's rows; the stages write each row's status back into the CSV as they go.</summary>
    private static async Task<bool> SubmitAsync(IAnsiConsole console, IServiceProvider services, string sheetPath, CancellationToken cancellationToken)
    {
        if (await LocalRuntime.SubmitSheetAsync(console, services, sheetPath, cancellationToken) is not { } rows)
        {
            return false;
        }
        var jobs = rows.Where(r => r.JobId is not null).ToList();
        console.MarkupLineInterpolated($"Submitted {jobs.Count} rows ({jobs.Count(r => r.Created)} new) from [blue]{sheetPath}[/]; their status is written back into it.");
        return true;
    }

    /// <summary>The address people open: the listening URL, with a wildcard host shown as 127.0.0.1.</summary>
    private static Uri? PageBase(string listen)
    {
        // Kestrel accepts http://+:8080 and http://*:8080, which Uri does not parse.
        var text = listen.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }
        var builder = new UriBuilder(uri) { Path = "/" };
        if (builder.Host is "0.0.0.0" or "[::]" or "::")
        {
            builder.Host = "127.0.0.1";
        }
        return builder.Uri;
    }
}

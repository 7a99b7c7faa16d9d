using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Stages;
using ViralForge.Core.Webhooks;

namespace ViralForge.Functions.Dashboard;

/// <summary>
/// The admin dashboard (docs/DASHBOARD.md): GET / lists every job across sheets (filters and paging in the query
/// string), GET /job/{id} shows one with its actions (POST forms, same-origin with an antiforgery token), GET /events
/// streams job changes as server-sent events, and /job/{id}/video and /thumbnail serve the job's own files. Access is
/// <see cref="DashboardAccess"/>'s: this machine only locally, Google sign-in and the add-on's allow-list in production.
/// No GET changes anything.
/// </summary>
public static class DashboardEndpoints
{
    private const string ViewerKey = "vf-dashboard-viewer";

    private const string PagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    // Google Identity Services' button and prompt come from accounts.google.com (its documented CSP sources).
    private const string SignInPolicy =
        "default-src 'none'; script-src 'self' https://accounts.google.com/gsi/client; style-src 'self' https://accounts.google.com/gsi/style; "
        + "frame-src https://accounts.google.com/gsi/; connect-src 'self' https://accounts.google.com/gsi/; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Overlap of each /events poll with the one before, so a change committed late with an earlier timestamp is not missed.</summary>
    private static readonly TimeSpan EventsOverlap = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var access = app.ServiceProvider.GetRequiredService<DashboardAccess>();
        var log = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardEndpoints).FullName!);
        if (!access.Served)
        {
            log.DashboardOff();
            return app;
        }
        log.DashboardOn(access.CurrentMode);

        app.MapGet("/dashboard/dashboard.css", () => Results.Text(DashboardHtml.Stylesheet, "text/css; charset=utf-8"));
        app.MapGet("/dashboard/dashboard.js", () => Results.Text(DashboardHtml.Script, "text/javascript; charset=utf-8"));
        app.MapGet("/dashboard/icon.svg", () => Results.Text(DashboardHtml.Icon, "image/svg+xml"));
        app.MapGet("/dashboard/signin.js", () => Results.Text(DashboardHtml.SignInScript, "text/javascript; charset=utf-8"));

        var pages = app.MapGroup("").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var check = await http.RequestServices.GetRequiredService<DashboardAccess>().CheckAsync(http, http.RequestAborted);
            if (check.Viewer is null)
            {
                log.Refused(http.Request.Path, check.StatusCode, check.LogReason ?? "refused");
                var path = http.Request.Path.Value ?? "";
                if (path == "/events" || path.EndsWith("/video", StringComparison.Ordinal) || path.EndsWith("/thumbnail", StringComparison.Ordinal))
                {
                    return Results.Text(check.Refusal, statusCode: check.StatusCode);
                }
                var signIn = check.StatusCode == StatusCodes.Status401Unauthorized ? access.ClientId : null;
                return Html(http, DashboardHtml.MessagePage(check.StatusCode == StatusCodes.Status401Unauthorized ? "Sign in" : "Not allowed", check.Refusal!, signIn),
                    check.StatusCode, signIn is null ? PagePolicy : SignInPolicy);
            }
            http.Items[ViewerKey] = check.Viewer;
            return await next(context);
        });
        pages.MapGet("/", ListAsync);
        pages.MapGet("/job/{jobId:guid}", JobAsync);
        pages.MapPost("/job/{jobId:guid}/{action}", ActAsync);
        pages.MapGet("/job/{jobId:guid}/video", (Guid jobId, HttpContext http, CancellationToken ct) => BlobAsync(http, jobId, r => r.VideoBlobKey, "video/mp4", ct));
        pages.MapGet("/job/{jobId:guid}/thumbnail", (Guid jobId, HttpContext http, CancellationToken ct) => BlobAsync(http, jobId, r => r.ThumbnailBlobKey, "image/jpeg", ct));
        pages.MapGet("/events", EventsAsync);
        DashboardWebhooks.Map(pages);
        return app;
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, DashboardQueries queries, IWebhookStore webhooks, IOptions<DashboardOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (ReadFilter(http.Request.Query, out var filter) is { } problem)
        {
            return Html(http, DashboardHtml.MessagePage("Bad filter", problem), StatusCodes.Status400BadRequest);
        }
        var since = time.GetUtcNow();
        var page = await queries.ListAsync(filter, options.Value.PageSize, ct);
        var health = await queries.QueueHealthAsync(ct);
        var disabledHooks = (await webhooks.ListSubscriptionsAsync(ct)).Count(s => !s.IsActive);
        return Html(http, DashboardHtml.ListPage(page, filter, health, Viewer(http), since, disabledHooks));
    }

    /// <summary>Reads the list's query string; a value that is not one of its kind is named with the fix (null when all is well).</summary>
    public static string? ReadFilter(IQueryCollection query, out JobFilter filter)
    {
        ArgumentNullException.ThrowIfNull(query);
        filter = JobFilter.All;
        var sheet = query["sheet"].ToString() is { Length: > 0 } s ? s : null;
        var status = query["status"].ToString() is { Length: > 0 } st ? st : null;
        if (status is not null && !DashboardHtml.Statuses.Contains(status))
        {
            return $"status '{status}' is not a status word; use one of {string.Join(", ", DashboardHtml.Statuses)}.";
        }
        DateOnly? from = null, to = null;
        foreach (var (name, set) in new (string, Action<DateOnly>)[] { ("from", d => from = d), ("to", d => to = d) })
        {
            if (query[name].ToString() is { Length: > 0 } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return $"{name} '{text}' is not a date; use yyyy-MM-dd, such as 2026-12-07.";
                }
                set(date);
            }
        }
        var page = 1;
        if (query["page"].ToString() is { Length: > 0 } pageText && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            return $"page '{pageText}' is not a page number; use 1 or more.";
        }
        filter = new JobFilter(sheet, status, from, to, page);
        return null;
    }

    private static async Task<IResult> JobAsync(Guid jobId, HttpContext http, IAntiforgery antiforgery, CancellationToken ct)
    {
        var notice = http.Request.Query["done"].ToString() switch
        {
            "cancel" => "Cancelled; the finished stages were undone.",
            "retry" => "Retrying: the job runs again as a new generation.",
            "regenerate" => "Regenerate asked; the new version will wait for review when it is ready.",
            "takedown" => "Taken down; the uploads and the job's files are deleted.",
            _ => null,
        };
        return await JobPageAsync(http, antiforgery, jobId, notice, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> JobPageAsync(HttpContext http, IAntiforgery antiforgery, Guid jobId, string? notice, int status, CancellationToken ct)
    {
        var services = http.RequestServices;
        var store = services.GetRequiredService<IJobStore>();
        var since = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (await store.GetAsync(jobId, ct) is not { } job)
        {
            return Html(http, DashboardHtml.MessagePage("No such job", $"There is no job {jobId}."), StatusCodes.Status404NotFound);
        }
        var summary = (await services.GetRequiredService<DashboardQueries>().SummarizeAsync([job], ct))[0];
        var detail = new JobDetail(summary,
            await store.ListEventsAsync(jobId, ct),
            await store.ListStageRunsAsync(jobId, ct),
            await services.GetRequiredService<ICostLedger>().ListAsync(jobId, ct),
            await ReviewDecisions.IsAwaitingAsync(store, job, ct),
            job.Status == JobStatus.Failed ? await services.GetRequiredService<DashboardActions>().RetryStageAsync(job, ct) : StageName.Trends);
        return Html(http, DashboardHtml.JobPage(detail, Viewer(http), Token(http, antiforgery), notice, since), status);
    }

    private static async Task<IResult> ActAsync(Guid jobId, string action, HttpContext http, IAntiforgery antiforgery, DashboardActions actions, CancellationToken ct)
    {
        var log = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardEndpoints).FullName!);
        if (action is not ("cancel" or "retry" or "regenerate" or "takedown"))
        {
            return Html(http, DashboardHtml.MessagePage("No such action", $"'{action}' is not an action; the job's page offers cancel, retry, regenerate and take down."),
                StatusCodes.Status404NotFound);
        }
        if (await RefuseFormAsync(http, antiforgery, log, "the job's page") is { } refused)
        {
            return refused;
        }
        var form = await http.Request.ReadFormAsync(ct);
        if (!int.TryParse(form["generation"], NumberStyles.None, CultureInfo.InvariantCulture, out var generation) || generation < 1)
        {
            return Html(http, DashboardHtml.MessagePage("Nothing changed", "The form did not say which generation of the job it was for; reload the page and try again."),
                StatusCodes.Status400BadRequest);
        }

        var viewer = Viewer(http);
        ActionResult result;
        switch (action)
        {
            case "cancel":
                result = await actions.CancelAsync(jobId, viewer, ct);
                break;
            case "retry":
                result = await actions.RetryAsync(jobId, generation, viewer, ct);
                break;
            case "takedown":
                result = await actions.TakeDownAsync(jobId, viewer, ct);
                break;
            default:
                if (!StageOrder.TryParse(form["stage"], out var stage))
                {
                    return Html(http, DashboardHtml.MessagePage("Nothing changed", $"stage '{form["stage"]}' is not a stage; pick script, visuals, voice or render."),
                        StatusCodes.Status400BadRequest);
                }
                result = await actions.RegenerateAsync(jobId, generation, stage, form["feedback"], viewer, ct);
                break;
        }
        log.ActionTaken(viewer.Name, action, jobId, result.Message);
        if (!result.Done)
        {
            return await JobPageAsync(http, antiforgery, jobId, result.Message, StatusCodes.Status409Conflict, ct);
        }
        http.Response.Headers.Location = $"/job/{jobId}?done={action}";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>Streams one of the job's own files (never a key from the request): from disk with Range locally, by a short-lived signed URL in production.</summary>
    private static async Task<IResult> BlobAsync(HttpContext http, Guid jobId, Func<RenderOutput, string?> pick, string contentType, CancellationToken ct)
    {
        var store = http.RequestServices.GetRequiredService<IJobStore>();
        var blobs = http.RequestServices.GetRequiredService<IBlobStore>();
        if (await store.GetAsync(jobId, ct) is not { } job)
        {
            return Results.NotFound();
        }
        var render = (await store.ListStageRunsAsync(jobId, ct))
            .Where(r => r.Stage == StageName.Render && r.Status == StageRunStatus.Completed && r.CompensatedAt is null && r.Output is not null)
            .OrderByDescending(r => r.Generation).FirstOrDefault();
        if (render is null || pick(StageJson.FromElement<RenderOutput>(render.Output!.Value)) is not { } key || !key.StartsWith($"jobs/{job.Id:N}/", StringComparison.Ordinal))
        {
            return Results.NotFound();
        }
        var url = await blobs.GetReadUrlAsync(key, TimeSpan.FromMinutes(15), ct);
        if (url.IsFile)
        {
            http.Response.Headers.CacheControl = "no-cache";
            return File.Exists(url.LocalPath) ? Results.File(url.LocalPath, contentType, enableRangeProcessing: true) : Results.NotFound();
        }
        return Results.Redirect(url.ToString());
    }

    /// <summary>
    /// Server-sent events: every job change after ?since= (or Last-Event-ID) as an event "job" whose data is a
    /// <see cref="JobChange"/>, polled every Dashboard:EventsPollInterval with one small query; ?job= narrows it to one
    /// job. Ends when the page goes away or the host stops.
    /// </summary>
    private static async Task EventsAsync(HttpContext http, DashboardQueries queries, IOptions<DashboardOptions> options, IHostApplicationLifetime lifetime, TimeProvider time)
    {
        var since = ReadSince(http.Request, time.GetUtcNow());
        Guid? job = Guid.TryParse(http.Request.Query["job"], out var id) ? id : null;
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var sent = new Dictionary<Guid, DateTimeOffset>();
        var quietSince = time.GetUtcNow();
        try
        {
            await response.WriteAsync("retry: 2000\n\n", stop.Token);
            await response.Body.FlushAsync(stop.Token);
            while (!stop.IsCancellationRequested)
            {
                var changes = await queries.ChangesSinceAsync(since - EventsOverlap, job, stop.Token);
                var wrote = false;
                foreach (var change in changes)
                {
                    if (sent.TryGetValue(change.Id, out var at) && at >= change.UpdatedAt)
                    {
                        continue;
                    }
                    sent[change.Id] = change.UpdatedAt;
                    if (change.UpdatedAt > since)
                    {
                        since = change.UpdatedAt;
                    }
                    var data = JsonSerializer.Serialize(change, DashboardJson.Default.JobChange);
                    await response.WriteAsync($"id: {since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}\nevent: job\ndata: {data}\n\n", stop.Token);
                    wrote = true;
                }
                foreach (var old in sent.Where(s => s.Value < since - EventsOverlap).Select(s => s.Key).ToList())
                {
                    sent.Remove(old);
                }
                var now = time.GetUtcNow();
                if (!wrote && now - quietSince > TimeSpan.FromSeconds(15))
                {
                    await response.WriteAsync(": still here\n\n", stop.Token); // keeps proxies from closing an idle stream
                    wrote = true;
                }
                if (wrote)
                {
                    quietSince = now;
                    await response.Body.FlushAsync(stop.Token);
                }
                await Task.Delay(options.Value.EventsPollInterval, time, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The page closed or the host is stopping: the stream just ends.
        }
    }

    private static DateTimeOffset ReadSince(HttpRequest request, DateTimeOffset now)
    {
        var text = request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } last ? last : request.Query["since"].ToString();
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since) && since <= now ? since : now;
    }

    /// <summary>Every dashboard POST passes here first: same-origin, a form, a valid antiforgery token (null when all hold).</summary>
    internal static async Task<IResult?> RefuseFormAsync(HttpContext http, IAntiforgery antiforgery, ILogger log, string page)
    {
        if (DashboardAccess.RefuseCrossSite(http.Request) is { } crossSite)
        {
            log.Refused(http.Request.Path, StatusCodes.Status403Forbidden, crossSite);
            return Html(http, DashboardHtml.MessagePage("Nothing changed", crossSite), StatusCodes.Status403Forbidden);
        }
        if (!http.Request.HasFormContentType)
        {
            return Html(http, DashboardHtml.MessagePage("Nothing changed", $"An action is a form post from {page}."), StatusCodes.Status400BadRequest);
        }
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            const string stale = "The form's security token is missing or stale, so nothing was changed. Reload the page and try again.";
            log.Refused(http.Request.Path, StatusCodes.Status400BadRequest, stale);
            return Html(http, DashboardHtml.MessagePage("Nothing changed", stale), StatusCodes.Status400BadRequest);
        }
        return null;
    }

    internal static DashboardToken Token(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return new DashboardToken(tokens.FormFieldName, tokens.RequestToken ?? throw new InvalidOperationException("Antiforgery gave no request token."));
    }

    internal static DashboardViewer Viewer(HttpContext http) =>
        http.Items[ViewerKey] as DashboardViewer ?? throw new InvalidOperationException("The dashboard's access filter did not run.");

    internal static IResult Html(HttpContext http, string body, int statusCode = StatusCodes.Status200OK, string policy = PagePolicy)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
        return Results.Content(body, "text/html; charset=utf-8", statusCode: statusCode);
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Stages;

namespace ViralForge.Bot.LocalPage;

/// <summary>
/// The local review page (profile local only; it is for the person at this machine): GET /review lists the videos
/// waiting for review (and the scripts waiting for a check), GET /review/{jobId} shows one (the link chat cards use),
/// /video and /thumbnail stream the job's own blobs with Range support, and POST /review/{jobId}/decision decides
/// through <see cref="ReviewDesk"/>. GET /review/{jobId}/script shows a script waiting for a check (the Review Script
/// gate) in an edit form, and POST /review/{jobId}/script saves it and lets the pipeline go on (<see cref="ScriptReviews"/>).
/// Every form names who is deciding (Your name, remembered in a cookie); the decision is recorded as local:&lt;name&gt;.
/// No GET changes anything: chat link previewers open links.
/// </summary>
public static class LocalReviewPage
{
    /// <summary>The surface name decisions from this page are recorded under.</summary>
    public const string Surface = "local";

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IServiceCollection AddLocalReviewPage(this IServiceCollection services)
    {
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "vf-review-antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
        });
        services.AddSingleton<ReviewPageData>();
        return services;
    }

    /// <summary>Maps the page when ViralForge:Profile is local (the default); under any other profile it maps nothing.</summary>
    public static IEndpointRouteBuilder MapLocalReviewPage(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var configuration = app.ServiceProvider.GetRequiredService<IConfiguration>();
        if (ViralForgeProfiles.Read(configuration) != ViralForgeProfile.Local)
        {
            return app;
        }

        var page = app.MapGroup("/review").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var baseUrl = http.RequestServices.GetRequiredService<IOptions<ViralForgeOptions>>().Value.Review.PageBaseUrl;
            if (CrossSiteGuard.RefuseNonLocal(http, baseUrl) is { } refusal)
            {
                Log(http).PageRefused(http.Request.Path, refusal);
                return Results.Text(refusal, statusCode: StatusCodes.Status403Forbidden);
            }
            return await next(context);
        });

        page.MapGet("", ListAsync);
        page.MapGet("/waiting", WaitingAsync);
        page.MapGet("/{jobId:guid}", VideoPageAsync);
        page.MapGet("/{jobId:guid}/video", (Guid jobId, HttpContext http, CancellationToken ct) =>
            BlobAsync(http, jobId, video => video.VideoBlobKey, "video/mp4", ct));
        page.MapGet("/{jobId:guid}/thumbnail", (Guid jobId, HttpContext http, CancellationToken ct) =>
            BlobAsync(http, jobId, video => video.ThumbnailBlobKey, "image/jpeg", ct));
        page.MapPost("/{jobId:guid}/decision", DecideAsync);
        page.MapGet("/{jobId:guid}/script", ScriptPageAsync);
        page.MapPost("/{jobId:guid}/script", ContinueScriptAsync);
        page.MapGet("/assets/review.js", () => Results.Text(ReviewHtml.Script, "text/javascript; charset=utf-8"));
        page.MapGet("/assets/review.css", () => Results.Text(ReviewHtml.Stylesheet, "text/css; charset=utf-8"));
        page.MapGet("/assets/icon.svg", () => Results.Text(ReviewHtml.Icon, "image/svg+xml"));
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ReviewPageData data, ScriptReviews scripts, IAntiforgery antiforgery, CancellationToken ct)
    {
        var awaiting = await data.ListAwaitingAsync(ct);
        var decided = await data.ListRecentlyDecidedAsync(ct);
        var making = await data.ListInProgressAsync(ct);
        var checks = await scripts.ListWaitingAsync(ct);
        Guid? jobId = Guid.TryParse(http.Request.Query["job"], out var id) ? id : null;
        var notice = jobId is { } noticed ? await NoticeAsync(http, noticed, ct) : null;
        return Html(http, ReviewHtml.ListPage(awaiting, decided, Token(http, antiforgery), notice, making, ReviewerName.Remembered(http.Request), checks));
    }

    /// <summary>
    /// What the list page would show now, for its script (every <see cref="ReviewHtml.WaitingPollMilliseconds"/>): which
    /// videos and scripts wait for a person, and each job being made with its Stage cell. The page tells the reviewer
    /// when something new waits rather than reloading under them.
    /// </summary>
    private static async Task<IResult> WaitingAsync(HttpContext http, ReviewPageData data, ScriptReviews scripts, CancellationToken ct)
    {
        var awaiting = await data.ListAwaitingAsync(ct);
        var making = await data.ListInProgressAsync(ct);
        var checks = await scripts.ListWaitingAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Json(
            new ReviewWaiting([.. awaiting.Select(a => a.Job.Id)], [.. checks.Select(c => c.Job.Id)], [.. making.Select(m => new ReviewMaking(m.Job.Id, m.Stage, m.Percent))]),
            ReviewPageJson.Default.ReviewWaiting);
    }

    private static async Task<IResult> VideoPageAsync(Guid jobId, HttpContext http, ReviewPageData data, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (await data.GetAsync(jobId, ct) is not { } item)
        {
            return Html(http, ReviewHtml.NotFoundPage(jobId), StatusCodes.Status404NotFound);
        }
        var notice = await NoticeAsync(http, jobId, ct);
        return Html(http, ReviewHtml.VideoPage(item, Token(http, antiforgery), notice, ReviewerName.Remembered(http.Request)));
    }

    /// <summary>Streams one of the job's own blobs (never a path or key from the request), with Range so the player can seek.</summary>
    private static async Task<IResult> BlobAsync(HttpContext http, Guid jobId, Func<RenderOutput, string?> pick, string contentType, CancellationToken ct)
    {
        var store = http.RequestServices.GetRequiredService<IJobStore>();
        var data = http.RequestServices.GetRequiredService<ReviewPageData>();
        var blobs = http.RequestServices.GetRequiredService<IBlobStore>();
        if (await store.GetAsync(jobId, ct) is not { } job
            || await data.VideoAsync(job, ct) is not { } video
            || pick(video) is not { } key
            || !key.StartsWith($"jobs/{job.Id:N}/", StringComparison.Ordinal))
        {
            return Results.NotFound();
        }
        var url = await blobs.GetReadUrlAsync(key, TimeSpan.FromHours(1), ct);
        if (!url.IsFile || !File.Exists(url.LocalPath))
        {
            return Results.NotFound(); // a rejected job's blobs are deleted by its compensation
        }
        http.Response.Headers.CacheControl = "no-cache";
        return Results.File(url.LocalPath, contentType, enableRangeProcessing: true);
    }

    /// <summary>
    /// Null when a form post may change something: from this page's own origin (not cross-site), a form, with a valid
    /// antiforgery token. Otherwise the refusal page.
    /// </summary>
    private static async Task<IResult?> RefusePostAsync(HttpContext http, IAntiforgery antiforgery, Guid jobId, string back)
    {
        var log = Log(http);
        var title = back == "script" ? "Not saved" : "Not decided";
        if (CrossSiteGuard.RefuseCrossSite(http.Request) is { } crossSite)
        {
            log.PageRefused(http.Request.Path, crossSite);
            return Html(http, ReviewHtml.ErrorPage(crossSite, jobId, title, back), StatusCodes.Status403Forbidden);
        }
        if (!http.Request.HasFormContentType)
        {
            return Html(http, ReviewHtml.ErrorPage($"A {(back == "script" ? "script check" : "decision")} is a form post from the review page.", jobId, title, back),
                StatusCodes.Status400BadRequest);
        }
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            var stale = $"The form's security token is missing or stale, so nothing was {(back == "script" ? "saved" : "decided")}. Reload the page and try again.";
            log.PageRefused(http.Request.Path, stale);
            return Html(http, ReviewHtml.ErrorPage(stale, jobId, title, back), StatusCodes.Status400BadRequest);
        }
        return null;
    }

    private static async Task<IResult> DecideAsync(
        Guid jobId, HttpContext http, IAntiforgery antiforgery, ReviewDesk desk, TimeProvider time, CancellationToken ct)
    {
        var log = Log(http);
        if (await RefusePostAsync(http, antiforgery, jobId, "video") is { } refused)
        {
            return refused;
        }

        var form = DecisionForm.Read(await http.Request.ReadFormAsync(ct));
        if (form.Error is not null)
        {
            return Html(http, ReviewHtml.ErrorPage(form.Error, jobId), StatusCodes.Status400BadRequest);
        }

        // The person at this machine says who they are; the operating system's account (often root) says nothing.
        ReviewerName.Remember(http.Response, form.Reviewer);
        var decision = new RecordedDecision(jobId, form.Generation, form.Verdict, $"local:{form.Reviewer}", form.Reviewer, Surface,
            form.Reason, form.Stage, form.Feedback, time.GetUtcNow());
        var result = await desk.DecideAsync(decision, ct);
        log.PageDecision(decision.ReviewerId, form.Verdict.ToString(), jobId, form.Generation, result.Outcome.ToString());

        var outcome = result.Outcome switch
        {
            DeskOutcome.Decided => "decided",
            DeskOutcome.AlreadyDecided => "already",
            _ => "not-awaiting",
        };
        var generation = (result.Decision?.Generation ?? form.Generation).ToString(CultureInfo.InvariantCulture);
        var location = form.ReturnTo == ReviewHtml.ReturnTo.List
            ? $"/review?outcome={outcome}&job={jobId}&g={generation}#job-{jobId}"
            : $"/review/{jobId}?outcome={outcome}&g={generation}";
        http.Response.Headers.Location = location;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static async Task<IResult> ScriptPageAsync(Guid jobId, HttpContext http, ScriptReviews scripts, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (await scripts.GetWaitingAsync(jobId, ct) is not { } item)
        {
            var job = await http.RequestServices.GetRequiredService<IJobStore>().GetAsync(jobId, ct);
            return job is null
                ? Html(http, ReviewHtml.NotFoundPage(jobId), StatusCodes.Status404NotFound)
                : Html(http, ReviewHtml.ErrorPage($"This job's script is not waiting for a check (the job is {job.Status}).", jobId, "No script to check"),
                    StatusCodes.Status404NotFound);
        }
        return Html(http, ReviewHtml.ScriptPage(item, ScriptEdit.From(item.Script), Token(http, antiforgery), ReviewerName.Remembered(http.Request), []));
    }

    private static async Task<IResult> ContinueScriptAsync(Guid jobId, HttpContext http, IAntiforgery antiforgery, ScriptReviews scripts, CancellationToken ct)
    {
        if (await RefusePostAsync(http, antiforgery, jobId, "script") is { } refused)
        {
            return refused;
        }
        var form = ScriptForm.Read(await http.Request.ReadFormAsync(ct));
        var waiting = await scripts.GetWaitingAsync(jobId, ct);
        if (form.Error is not null)
        {
            // The form again with what the person typed, so a forgotten name costs nothing else.
            return waiting is not null && form.Generation == waiting.Job.Generation
                ? Html(http, ReviewHtml.ScriptPage(waiting, form.Edit, Token(http, antiforgery), null, [form.Error]), StatusCodes.Status400BadRequest)
                : Html(http, ReviewHtml.ErrorPage(form.Error, jobId, "Not saved", "script"), StatusCodes.Status400BadRequest);
        }

        ReviewerName.Remember(http.Response, form.Reviewer);
        var result = await scripts.ContinueAsync(jobId, form.Generation, form.Edit, form.Reviewer, ct);
        Log(http).ScriptChecked($"local:{form.Reviewer}", jobId, form.Generation, result.Outcome.ToString());
        switch (result.Outcome)
        {
            case ScriptReviewOutcome.Invalid when waiting is not null:
                return Html(http, ReviewHtml.ScriptPage(waiting, form.Edit, Token(http, antiforgery), form.Reviewer, result.Problems), StatusCodes.Status400BadRequest);
            case ScriptReviewOutcome.Continued or ScriptReviewOutcome.AlreadyContinued:
                http.Response.Headers.Location = $"/review?outcome=script&job={jobId}&g={form.Generation.ToString(CultureInfo.InvariantCulture)}";
                return Results.StatusCode(StatusCodes.Status303SeeOther);
            default:
                return Html(http, ReviewHtml.ErrorPage(result.Message, jobId, "Not saved", "script"), StatusCodes.Status409Conflict);
        }
    }

    /// <summary>
    /// The sentence shown after a decision, built from what the database says (the query names only which outcome and
    /// which decision), so a crafted link cannot put words on the page.
    /// </summary>
    private static async Task<string?> NoticeAsync(HttpContext http, Guid jobId, CancellationToken ct)
    {
        var query = http.Request.Query;
        if (!int.TryParse(query["g"], NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
        {
            return null;
        }
        var ledger = http.RequestServices.GetRequiredService<IReviewLedger>();
        var decision = await ledger.GetDecisionAsync(jobId, generation, ct);
        switch (query["outcome"].ToString())
        {
            case "script":
                var checkedJob = await http.RequestServices.GetRequiredService<IJobStore>().GetAsync(jobId, ct);
                var checkedRun = checkedJob is null ? null : await http.RequestServices.GetRequiredService<IJobStore>()
                    .GetLatestCompletedAsync(jobId, StageName.Script, generation, ct);
                return checkedRun is { Generation: var g } && g == generation
                    ? $"The script of “{checkedJob!.Request.Topic}” is checked; the video is being made from it."
                    : null;
            case "decided" when decision is not null:
                return decision.Verdict switch
                {
                    ReviewVerdict.Approve => "Approved; publishing.",
                    ReviewVerdict.Reject => $"Rejected: {decision.Reason}.",
                    _ => $"Regenerating the {decision.RegenerateStage?.Wire() ?? "script"}; the new version will wait here for review when it is ready.",
                };
            case "already" when decision is not null:
                return $"Already decided: {ReviewDesk.Describe(decision)}.";
            case "not-awaiting":
                var job = await http.RequestServices.GetRequiredService<IJobStore>().GetAsync(jobId, ct);
                return job is null ? "That video no longer exists."
                    : job.Generation != generation ? "That version of the video was replaced by a newer one; nothing was decided."
                    : $"This video is not waiting for review (it is {job.Status}); nothing was decided.";
            default:
                return null;
        }
    }

    private static FormToken Token(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return new FormToken(tokens.FormFieldName, tokens.RequestToken ?? throw new InvalidOperationException("Antiforgery gave no request token."));
    }

    private static IResult Html(HttpContext http, string body, int statusCode = StatusCodes.Status200OK)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        return Results.Content(body, "text/html; charset=utf-8", statusCode: statusCode);
    }

    private static ILogger Log(HttpContext http) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LocalReviewPage).FullName!);
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Functions.Api;

/// <summary>
/// The public Jobs API under /v1 (docs/API.md, OpenAPI at /v1/openapi.json): create jobs from JSON rows, read and list
/// them, cancel them, decide their review, and manage API keys. Every endpoint on the group is behind
/// <see cref="ApiCallers"/>'s filter (API key or Google ID token, rate limit, scope).
/// </summary>
public static class JobsApi
{
    public const string Prefix = "/v1";

    /// <summary>The header that makes POST /v1/jobs safe to retry.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Set on an answer repeated for an Idempotency-Key.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxTextLength = 2_000;

    private static readonly string[] ListParameters = ["status", "sheet", "limit", "cursor"];

    /// <summary>
    /// Maps the /v1 endpoints and the public /v1/openapi.json, and returns the authenticated /v1 group, so more endpoints
    /// (webhooks) can be mapped on it: <c>group.MapPost("/webhooks", ...).RequireApiScope(ApiScope.Write)</c>, reading
    /// the caller with <see cref="ApiCallers.Caller"/>. List every endpoint mapped on it in <see cref="ApiOpenApi"/>.
    /// </summary>
    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The description is public: clients and tools read it before they have a key.
        app.MapGet(Prefix + "/openapi.json", () => Results.Text(ApiOpenApi.Json, "application/json", Encoding.UTF8)).WithName("api-openapi");

        var group = app.MapGroup(Prefix).RequireApiCaller();
        group.MapPost("/jobs", CreateAsync).RequireApiScope(ApiScope.Write).WithName("api-create-jobs");
        group.MapGet("/jobs", ListAsync).RequireApiScope(ApiScope.Read).WithName("api-list-jobs");
        group.MapGet("/jobs/{id}", GetAsync).RequireApiScope(ApiScope.Read).WithName("api-get-job");
        group.MapPost("/jobs/{id}/cancel", CancelAsync).RequireApiScope(ApiScope.Write).WithName("api-cancel-job");
        group.MapPost("/jobs/{id}/approve", (string id, HttpContext http, CancellationToken ct) => DecideAsync(id, ReviewVerdict.Approve, http, ct))
            .RequireApiScope(ApiScope.Write).WithName("api-approve-job");
        group.MapPost("/jobs/{id}/reject", (string id, HttpContext http, CancellationToken ct) => DecideAsync(id, ReviewVerdict.Reject, http, ct))
            .RequireApiScope(ApiScope.Write).WithName("api-reject-job");
        group.MapPost("/jobs/{id}/regenerate", (string id, HttpContext http, CancellationToken ct) => DecideAsync(id, ReviewVerdict.Regenerate, http, ct))
            .RequireApiScope(ApiScope.Write).WithName("api-regenerate-job");
        group.MapPost("/keys", CreateKeyAsync).RequireApiScope(ApiScope.Write).WithName("api-create-key");
        group.MapGet("/keys", ListKeysAsync).RequireApiScope(ApiScope.Write).WithName("api-list-keys");
        group.MapDelete("/keys/{id}", RevokeKeyAsync).RequireApiScope(ApiScope.Write).WithName("api-revoke-key");
        return group;
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, IntakeService intake, RowDefaults defaults, ApiIdempotency idempotency, IOptions<ApiOptions> options,
        TimeProvider time, ILogger<ApiAuthenticator> log, CancellationToken cancellationToken)
    {
        var caller = ApiCallers.Caller(http);
        var bytes = await ApiBody.ReadAsync(http.Request, cancellationToken);

        string? key = null;
        if (http.Request.Headers.TryGetValue(IdempotencyKeyHeader, out var keyValues))
        {
            key = keyValues.ToString();
            if (keyValues.Count != 1 || key.Length is 0 or > ApiIdempotency.MaxKeyLength || key.Any(c => c is < '!' or > '~'))
            {
                return ApiProblems.Field(IdempotencyKeyHeader,
                    $"Send one Idempotency-Key of 1 to {ApiIdempotency.MaxKeyLength} visible ASCII characters (a UUID is a good choice).");
            }
            var claim = await idempotency.ClaimAsync(caller.Name, key, ApiIdempotency.HashBody(bytes.Span), cancellationToken);
            switch (claim.State)
            {
                case IdempotencyState.Replay:
                    http.Response.Headers[ReplayedHeader] = "true";
                    return Results.Text(claim.Response, "application/json", Encoding.UTF8, claim.StatusCode);
                case IdempotencyState.Mismatch:
                    return ApiProblems.Invalid(new Dictionary<string, List<string>>
                    {
                        [IdempotencyKeyHeader] = ["This Idempotency-Key was used with a different body; use a new key for a new request."],
                    }, status: StatusCodes.Status422UnprocessableEntity);
                case IdempotencyState.InFlight:
                    http.Response.Headers.RetryAfter = "1";
                    return ApiProblems.Conflict("A request with this Idempotency-Key is still being answered; send it again in a moment for its answer.");
            }
        }

        var answered = false;
        try
        {
            var result = await SubmitAsync(http, caller, bytes, intake, defaults, options.Value, time, log, cancellationToken);
            if (key is not null && result.Json is { } json)
            {
                await idempotency.CompleteAsync(caller.Name, key, result.Status, json, cancellationToken);
                answered = true;
            }
            return result.Result;
        }
        finally
        {
            if (key is not null && !answered)
            {
                // Bad input or a failure: nothing to repeat, and the client may fix the body and send it with the same key.
                await idempotency.ReleaseAsync(caller.Name, key, CancellationToken.None);
            }
        }
    }

    private static async Task<(IResult Result, int Status, string? Json)> SubmitAsync(
        HttpContext http, ApiCaller caller, ReadOnlyMemory<byte> bytes, IntakeService intake, RowDefaults defaults, ApiOptions options,
        TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        var (body, problem) = ApiBody.Parse(bytes, emptyIsObject: false);
        if (problem is not null)
        {
            return (problem, 400, null);
        }
        var (batch, errors) = ApiRows.Read(body, options.MaxRowsPerRequest, defaults);
        if (batch is null)
        {
            return (ApiProblems.Invalid(errors), 400, null);
        }

        IReadOnlyList<RowIntake> outcomes;
        try
        {
            outcomes = await intake.SubmitRowsAsync(batch.SheetId, batch.Rows, cancellationToken);
        }
        catch (TaskQueueUnavailableException e)
        {
            // Rows already made into jobs keep them; sending the same rows again finds them and queues their first stage.
            log.ApiQueueUnavailable(caller.Name, batch.SheetId, e.Message);
            http.Response.Headers.RetryAfter = "30";
            return (Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable",
                detail: "ViralForge could not queue the rows just now; send them again in a minute (nothing is made twice)."), 503, null);
        }
        var now = time.GetUtcNow();
        var results = new List<ApiJobResult>(outcomes.Count);
        var invalid = new Dictionary<string, List<string>>();
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i].Job is { } job)
            {
                results.Add(new ApiJobResult(i, outcomes[i].Created, ApiJob.From(job, now)));
            }
            else
            {
                invalid.Add($"/rows/{i.ToString(CultureInfo.InvariantCulture)}", outcomes[i].Error ?? "The row was not accepted.");
            }
        }
        if (invalid.Count > 0)
        {
            // Checked above with the same rules; only a change of settings between the two checks lands here.
            return (ApiProblems.Invalid(invalid), 400, null);
        }
        var created = results.Count(r => r.Created);
        log.ApiRowsSubmitted(caller.Name, results.Count, batch.SheetId, created);
        var status = created > 0 ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        var json = JsonSerializer.Serialize(new ApiJobsCreated(results), ApiJson.Default.ApiJobsCreated);
        return (Results.Text(json, "application/json", Encoding.UTF8, status), status, json);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IJobStore store, IOptions<ApiOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var query = http.Request.Query;
        var errors = new Dictionary<string, List<string>>();
        foreach (var name in query.Keys.Where(k => !ListParameters.Contains(k)))
        {
            errors.Add(name, $"\"{ApiBody.Shown(name)}\" is not a parameter of GET /v1/jobs; use status, sheet, limit and cursor.");
        }

        var limit = settings.DefaultPageSize;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > settings.MaxPageSize))
        {
            errors.Add("limit", $"limit must be a whole number from 1 to {settings.MaxPageSize}.");
        }

        List<string>? statuses = null;
        if (query.TryGetValue("status", out var statusValues))
        {
            statuses = [.. statusValues.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct()];
            foreach (var status in statuses.Where(s => !StatusWords.Contains(s)))
            {
                errors.Add("status", $"\"{ApiBody.Shown(status)}\" is not a job status; use {string.Join(", ", StatusWords)}.");
            }
        }

        string? sheet = null;
        if (query.TryGetValue("sheet", out var sheetText))
        {
            sheet = sheetText.ToString();
            if (sheet.Length == 0)
            {
                errors.Add("sheet", "sheet is empty; give a job's sheetId (api:<name>, or gsheet:<spreadsheet>/<tab>) or leave sheet out.");
            }
        }

        JobPageCursor? after = null;
        if (query.TryGetValue("cursor", out var cursorText) && !ApiCursor.TryDecode(cursorText.ToString(), out after))
        {
            errors.Add("cursor", "cursor is not one this API gave out; send back a page's nextCursor as it is, or leave cursor out for the first page.");
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        // One more than the page: whether there is a next page without a second query.
        var jobs = await store.ListPageAsync(new JobPageQuery(sheet, statuses, after, limit + 1), cancellationToken);
        var page = jobs.Take(limit).ToList();
        var next = jobs.Count > limit ? ApiCursor.Encode(page[^1].CreatedAt, page[^1].Id) : null;
        var now = time.GetUtcNow();
        return Results.Json(new ApiJobPage([.. page.Select(j => ApiJob.From(j, now))], next), ApiJson.Default.ApiJobPage);
    }

    /// <summary>The words a job's stored status can hold, which GET /v1/jobs?status= takes.</summary>
    public static IReadOnlyList<string> StatusWords { get; } =
    [
        JobStatus.Queued, .. StageOrder.InOrder.Select(JobStatus.ForStage), JobStatus.ScriptReview, JobStatus.Approved,
        JobStatus.Scheduled, JobStatus.Published, JobStatus.Rejected, JobStatus.Failed, JobStatus.Cancelled,
    ];

    private static async Task<IResult> GetAsync(string id, IJobStore store, SheetStatusWriter statusWriter, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId))
        {
            return ApiProblems.Field("id", $"\"{ApiBody.Shown(id)}\" is not a job id; job ids are UUIDs such as 0b6f1d2e-8c1a-4c55-9a53-2f0f3f6f7a10.");
        }
        if (await store.GetAsync(jobId, cancellationToken) is not { } job)
        {
            return ApiProblems.NotFound($"No job {jobId}.");
        }
        var events = await store.ListEventsAsync(jobId, cancellationToken);
        // What the sheet's output columns show, so an integration sees what a person sees: "render 45%", the video's links, the cost.
        var outputs = await statusWriter.OutputsForAsync(job, cancellationToken);
        return Results.Json(new ApiJobDetail(ApiJob.From(job, time.GetUtcNow()), Cell(outputs, SheetContract.Stage), Cell(outputs, SheetContract.Video),
                Cell(outputs, SheetContract.Preview), Cell(outputs, SheetContract.PublishedUrl), Cell(outputs, SheetContract.Cost),
                [.. events.Select(e => new ApiJobEvent(e.At, e.Kind, e.Stage?.Wire(), e.Message))]),
            ApiJson.Default.ApiJobDetail);
    }

    private static async Task<IResult> CancelAsync(
        string id, HttpContext http, IJobStore store, Compensator compensator, TimeProvider time, ILogger<ApiAuthenticator> log, CancellationToken cancellationToken)
    {
        var caller = ApiCallers.Caller(http);
        var (body, problem) = ApiBody.Parse(await ApiBody.ReadAsync(http.Request, cancellationToken), emptyIsObject: true);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new Dictionary<string, List<string>>();
        ApiBody.Unknown(body, "", ["reason"], errors);
        var reason = Text(body, "reason", errors);
        if (!Guid.TryParse(id, out var jobId))
        {
            errors.Add("id", $"\"{ApiBody.Shown(id)}\" is not a job id.");
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }
        if (await store.GetAsync(jobId, cancellationToken) is not { } job)
        {
            return ApiProblems.NotFound($"No job {jobId}.");
        }
        if (job.IsTerminal)
        {
            return ApiProblems.Conflict($"Job {jobId} is already {JobStatus.AsOf(job, time.GetUtcNow())}; there is nothing to cancel. A published video is taken down on its platform.");
        }
        // Terminal first, then each finished stage undone: a stage task still queued finds the job ended and does nothing.
        await compensator.RunAsync(jobId, JobStatus.Cancelled, $"cancelled through the API by {caller.Name}" + (reason is null ? "" : $": {reason}"), cancellationToken);
        log.ApiJobCancelled(caller.Name, jobId);
        var after = await store.GetAsync(jobId, cancellationToken) ?? job;
        return Results.Json(ApiJob.From(after, time.GetUtcNow()), ApiJson.Default.ApiJob);
    }

    private static async Task<IResult> DecideAsync(string id, ReviewVerdict verdict, HttpContext http, CancellationToken cancellationToken)
    {
        var services = http.RequestServices;
        var store = services.GetRequiredService<IJobStore>();
        var time = services.GetRequiredService<TimeProvider>();
        var caller = ApiCallers.Caller(http);
        var (body, problem) = ApiBody.Parse(await ApiBody.ReadAsync(http.Request, cancellationToken), emptyIsObject: true);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, List<string>>();
        string[] known = verdict switch
        {
            ReviewVerdict.Regenerate => ["generation", "stage", "feedback"],
            _ => ["generation", "reason"],
        };
        ApiBody.Unknown(body, "", known, errors);
        int? generation = null;
        if (body.TryGetProperty("generation", out var generationElement) && generationElement.ValueKind != JsonValueKind.Null)
        {
            if (generationElement.ValueKind == JsonValueKind.Number && generationElement.TryGetInt32(out var g) && g >= 1)
            {
                generation = g;
            }
            else
            {
                errors.Add("/generation", "generation must be a whole number of 1 or more: the job's generation the decision is about (GET /v1/jobs/{id} shows it).");
            }
        }
        var reason = verdict == ReviewVerdict.Regenerate ? null : Text(body, "reason", errors);
        var feedback = verdict == ReviewVerdict.Regenerate ? Text(body, "feedback", errors) : null;
        StageName? stage = null;
        if (verdict == ReviewVerdict.Regenerate && ApiBody.String(body, "stage", errors) is { } stageText)
        {
            var allowed = string.Join(", ", StageOrder.InOrder.Where(s => s < StageName.Review).Select(s => s.Wire()));
            if (!StageOrder.TryParse(stageText.Trim(), out var parsed) || stageText.Trim() != parsed.Wire())
            {
                errors.Add("/stage", $"\"{ApiBody.Shown(stageText)}\" is not a stage; use one of {allowed}.");
            }
            else if (parsed >= StageName.Review)
            {
                errors.Add("/stage", $"Only stages before review can be regenerated, not {parsed.Wire()}; use one of {allowed}.");
            }
            else
            {
                stage = parsed;
            }
        }
        if (!Guid.TryParse(id, out var jobId))
        {
            errors.Add("id", $"\"{ApiBody.Shown(id)}\" is not a job id.");
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }
        if (await store.GetAsync(jobId, cancellationToken) is not { } job)
        {
            return ApiProblems.NotFound($"No job {jobId}.");
        }

        // The same door as Slack, Teams and the review page: the first decision for a generation stands.
        var decision = new RecordedDecision(jobId, generation ?? job.Generation, verdict, $"api:{caller.Name}", caller.Name, "api",
            reason, verdict == ReviewVerdict.Regenerate ? stage ?? ReviewDecisions.DefaultRegenerateStage : null, feedback, time.GetUtcNow());
        var result = await services.GetRequiredService<ReviewDesk>().DecideAsync(decision, cancellationToken);
        log(services).ApiDecision(caller.Name, verdict.Wire(), jobId, decision.Generation, result.Outcome.ToString());
        var now = time.GetUtcNow();
        return result.Outcome switch
        {
            DeskOutcome.Decided => Results.Json(new ApiDecision("decided", result.Message, ApiJob.From(await store.GetAsync(jobId, cancellationToken) ?? job, now)),
                ApiJson.Default.ApiDecision, statusCode: StatusCodes.Status202Accepted),
            _ => ApiProblems.Conflict(result.Message),
        };

        static ILogger log(IServiceProvider services) => services.GetRequiredService<ILogger<ApiAuthenticator>>();
    }

    private static async Task<IResult> CreateKeyAsync(HttpContext http, ApiKeys keys, ILogger<ApiAuthenticator> log, CancellationToken cancellationToken)
    {
        var caller = ApiCallers.Caller(http);
        var (body, problem) = ApiBody.Parse(await ApiBody.ReadAsync(http.Request, cancellationToken), emptyIsObject: false);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new Dictionary<string, List<string>>();
        ApiBody.Unknown(body, "", ["scope", "owner"], errors);
        var scopeText = ApiBody.String(body, "scope", errors);
        if (!ApiScopes.TryParse(scopeText, out var scope) && !errors.ContainsKey("/scope"))
        {
            errors.Add("/scope", scopeText is null ? "scope is missing: \"read\" or \"write\"." : $"\"{ApiBody.Shown(scopeText)}\" is not a scope; use \"read\" or \"write\".");
        }
        var owner = ApiBody.String(body, "owner", errors) ?? caller.Name;
        try
        {
            owner = ApiKeys.CheckOwner(owner);
        }
        catch (ArgumentException e)
        {
            errors.Add("/owner", e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }
        var created = await keys.CreateAsync(owner, scope, caller.Name, cancellationToken);
        log.ApiKeyCreated(caller.Name, created.Info.Id, owner, scope.Wire());
        return Results.Json(new ApiKeyCreatedBody(created.Key, ApiKeyBody.From(created.Info)), ApiJson.Default.ApiKeyCreatedBody, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListKeysAsync(ApiKeys keys, CancellationToken cancellationToken) =>
        Results.Json(new ApiKeyList([.. (await keys.ListAsync(cancellationToken)).Select(ApiKeyBody.From)]), ApiJson.Default.ApiKeyList);

    private static async Task<IResult> RevokeKeyAsync(string id, HttpContext http, ApiKeys keys, ILogger<ApiAuthenticator> log, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var keyId) || keyId < 1)
        {
            return ApiProblems.Field("id", $"\"{ApiBody.Shown(id)}\" is not a key id; GET /v1/keys or vf api-key list shows them.");
        }
        var revoked = await keys.RevokeAsync(keyId, cancellationToken);
        log.ApiKeyRevoked(ApiCallers.Caller(http).Name, keyId, revoked);
        return revoked ? Results.NoContent() : ApiProblems.NotFound($"No live API key {keyId} (it does not exist or was revoked already).");
    }

    /// <summary>A free-text member (reason, feedback): trimmed, null when absent or blank, at most <see cref="MaxTextLength"/> characters.</summary>
    private static string? Text(JsonElement body, string name, Dictionary<string, List<string>> errors)
    {
        var text = ApiBody.String(body, name, errors)?.Trim();
        if (text is { Length: > MaxTextLength })
        {
            errors.Add($"/{name}", $"{name} is {text.Length} characters long; at most {MaxTextLength} are allowed.");
            return null;
        }
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static string? Cell(Dictionary<string, string?> outputs, string column) =>
        outputs.GetValueOrDefault(column) is { Length: > 0 } value ? value : null;
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.Sheets;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Scripts;
using ViralForge.Core.Sheets;

namespace ViralForge.Functions.Addon;

/// <summary>
/// The Google Sheets add-on's endpoints (docs/ADDON_API.md): submit rows, read statuses, manage API keys, and read and
/// save the script of a row waiting for a script check (the Review Script gate).
/// </summary>
public static class AddonEndpoints
{
    /// <summary>
    /// Maps POST /jobs, POST /jobs/status, POST /keys, DELETE /keys and GET, PUT (or POST) /jobs/{id}/script, or only
    /// 404s when Addon:OAuthClientId is unset.
    /// </summary>
    public static void MapAddonEndpoints(this IEndpointRouteBuilder app)
    {
        var settings = app.ServiceProvider.GetRequiredService<IOptions<AddonOptions>>().Value;
        var log = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AddonEndpoints).FullName!);
        if (!settings.Enabled)
        {
            log.AddonOff();
            // Said outright rather than left to routing, which would answer 405 for POST /jobs/status (GET /jobs/{id} shares the path).
            var off = Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
                detail: "The ViralForge add-on is not enabled on this server (Addon:OAuthClientId is not set).");
            app.MapMethods("/jobs", [HttpMethods.Post], () => off);
            app.MapMethods("/jobs/status", [HttpMethods.Post], () => off);
            app.MapMethods("/keys", [HttpMethods.Post, HttpMethods.Delete], () => off);
            app.MapMethods("/jobs/{jobId}/script", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Post], () => off);
            return;
        }
        log.AddonOn(settings.OAuthClientId!, settings.AllowedEmails.Count, settings.AllowedDomains.Count);

        app.MapPost("/jobs", SubmitAsync).RequireAddonCaller(AddonCredential.IdentityToken).WithName("addon-submit");
        app.MapPost("/jobs/status", StatusAsync).RequireAddonCaller(AddonCredential.ApiKey).WithName("addon-status");
        app.MapPost("/keys", IssueKeyAsync).RequireAddonCaller(AddonCredential.IdentityToken).WithName("addon-issue-key");
        app.MapDelete("/keys", RevokeKeyAsync).RequireAddonCaller(AddonCredential.IdentityToken).WithName("addon-revoke-key");
        app.MapGet("/jobs/{jobId}/script", ScriptAsync).RequireAddonCaller(AddonCredential.IdentityToken).WithName("addon-script");
        // PUT replaces the script; POST is the same save for clients that send only GET and POST.
        app.MapMethods("/jobs/{jobId}/script", [HttpMethods.Put, HttpMethods.Post], SaveScriptAsync)
            .RequireAddonCaller(AddonCredential.IdentityToken).WithName("addon-save-script");
    }

    private static async Task<IResult> SubmitAsync(
        HttpContext http, IntakeService intake, IOptions<AddonOptions> options, ILogger<AddonAuthenticator> log, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadAsync(http.Request, AddonJson.Default.AddonJobsRequest, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        if (string.IsNullOrWhiteSpace(body.SheetName))
        {
            return BadRequest("sheetName is missing: name the tab the rows come from.");
        }
        string sheetId;
        try
        {
            sheetId = new GoogleSheetId(body.SpreadsheetId ?? "", body.SheetName).ToString();
        }
        catch (ArgumentException e)
        {
            // GoogleSheetId's message shows the expected form; the parameter name means nothing to the sidebar.
            return BadRequest(e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
        }
        if (body.Rows is not { Count: > 0 } rows)
        {
            return BadRequest("The request has no rows; send at least one.");
        }
        var max = options.Value.MaxRowsPerRequest;
        if (rows.Count > max)
        {
            return BadRequest($"The request has {rows.Count} rows; at most {max} are allowed in one request. Send them in batches.");
        }

        var defaults = InputCells(body.Defaults);
        var sheetRows = new List<SheetRow>(rows.Count);
        // Rows whose Job ID cell is not a job id: answered here, in their place, and not submitted.
        var refused = new AddonJobResult?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i] is not { RowNumber: >= 1 } row)
            {
                return BadRequest($"rows[{i}] needs a rowNumber of 1 or more.");
            }
            var (jobId, jobIdError) = JobIdCell(row.JobId);
            if (jobIdError is not null)
            {
                refused[i] = new AddonJobResult(row.RowNumber, null, false, JobStatus.Invalid, jobIdError);
                continue;
            }
            var cells = InputCells(row.Cells);
            if (jobId is not null)
            {
                // Intake's rule: a row whose Job ID names another job of this sheet was edited, and that job is cancelled.
                cells[SheetContract.JobId] = jobId;
            }
            foreach (var column in SheetContract.InputColumns)
            {
                if (string.IsNullOrWhiteSpace(cells.GetValueOrDefault(column)) && defaults.TryGetValue(column, out var fallback))
                {
                    cells[column] = fallback;
                }
            }
            sheetRows.Add(new SheetRow(row.RowNumber, cells));
        }

        IReadOnlyList<RowIntake> outcomes;
        try
        {
            outcomes = await intake.SubmitRowsAsync(sheetId, sheetRows, cancellationToken);
        }
        catch (TaskQueueUnavailableException e)
        {
            // The queue is out of reach. Rows already made into jobs keep them: sending the batch again
            // finds those jobs (created false) and enqueues their first stage, so retrying is safe.
            log.QueueUnavailable(AddonCallers.Caller(http), sheetId, e.Message);
            http.Response.Headers.RetryAfter = "30";
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable",
                detail: "ViralForge could not queue the rows just now; send them again in a minute (nothing is made twice).");
        }
        var results = new List<AddonJobResult>(rows.Count);
        var next = 0;
        foreach (var answer in refused)
        {
            // Intake answers the rows it was given in their order; refused rows keep their places in between.
            results.Add(answer ?? Answer(outcomes[next++]));
        }
        log.RowsSubmitted(AddonCallers.Caller(http), results.Count, sheetId, results.Count(r => r.Created), results.Count(r => r.JobId is null));
        return Results.Json(new AddonJobsResponse(results), AddonJson.Default.AddonJobsResponse);
    }

    private static async Task<IResult> StatusAsync(
        HttpRequest request, IJobStore store, SheetStatusWriter statusWriter, IOptions<AddonOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadAsync(request, AddonJson.Default.AddonStatusRequest, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        if (body.JobIds is not { } ids)
        {
            return BadRequest("jobIds is missing: send {\"jobIds\": [\"<job id>\", ...]}.");
        }
        var max = options.Value.MaxStatusIdsPerRequest;
        if (ids.Count > max)
        {
            return BadRequest($"The request has {ids.Count} job ids; at most {max} are allowed in one request.");
        }

        var jobs = new List<AddonJobStatus>(ids.Count);
        foreach (var id in ids)
        {
            if (!Guid.TryParse(id?.Trim(), out var jobId))
            {
                jobs.Add(NotFound(id, string.IsNullOrWhiteSpace(id) ? "The Job ID cell is empty." : $"\"{id}\" is not a job id."));
                continue;
            }
            if (await store.GetAsync(jobId, cancellationToken) is not { } job)
            {
                jobs.Add(NotFound(id, "No job with this id."));
                continue;
            }
            // The same values the sheet's output columns show: scheduled or published as of now, "render 45%".
            var outputs = await statusWriter.OutputsForAsync(job, cancellationToken);
            jobs.Add(new AddonJobStatus(id, true, Cell(outputs, SheetContract.Status), Cell(outputs, SheetContract.Stage),
                Cell(outputs, SheetContract.Video), Cell(outputs, SheetContract.Preview), Cell(outputs, SheetContract.PublishedUrl), job.Error));
        }
        return Results.Json(new AddonStatusResponse(jobs), AddonJson.Default.AddonStatusResponse);
    }

    private static async Task<IResult> IssueKeyAsync(HttpContext http, AddonKeys keys, ILogger<AddonAuthenticator> log, CancellationToken cancellationToken)
    {
        var caller = AddonCallers.Caller(http);
        var issued = await keys.IssueAsync(caller, cancellationToken);
        log.KeyIssued(caller);
        var createdAt = issued.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return Results.Json(new AddonKeyBody(issued.Key, createdAt), AddonJson.Default.AddonKeyBody);
    }

    private static async Task<IResult> RevokeKeyAsync(HttpContext http, AddonKeys keys, ILogger<AddonAuthenticator> log, CancellationToken cancellationToken)
    {
        var caller = AddonCallers.Caller(http);
        log.KeyRevoked(caller, await keys.RevokeAsync(caller, cancellationToken));
        return Results.NoContent();
    }

    private static async Task<IResult> ScriptAsync(string jobId, ScriptReviews scripts, IJobStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(jobId, out var id))
        {
            return Problem(StatusCodes.Status404NotFound, $"\"{Shown(jobId)}\" is not a job id.");
        }
        if (await scripts.GetWaitingAsync(id, cancellationToken) is not { } waiting)
        {
            return await NotWaitingAsync(store, id, cancellationToken);
        }
        var (job, script) = (waiting.Job, waiting.Script);
        return Results.Json(new AddonScriptBody(job.Id, job.Generation, job.Status, job.Request.Topic, script.Title, script.Hook,
            [.. script.Beats.Select(b => new AddonScriptBeat(b.Narration, b.CardText))], script.CallToAction, ScriptReviews.MaxCardWords),
            AddonJson.Default.AddonScriptBody);
    }

    private static async Task<IResult> SaveScriptAsync(
        string jobId, HttpContext http, ScriptReviews scripts, IJobStore store, ILogger<AddonAuthenticator> log, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(jobId, out var id))
        {
            return Problem(StatusCodes.Status404NotFound, $"\"{Shown(jobId)}\" is not a job id.");
        }
        var (body, problem) = await ReadAsync(http.Request, AddonJson.Default.AddonScriptEdit, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        if (body.Generation < 1)
        {
            return BadRequest("generation is missing: send back the generation GET /jobs/{id}/script answered.");
        }
        var edit = new ScriptEdit(body.Title ?? "", body.Hook ?? "",
            [.. (body.Beats ?? []).Select(b => new ScriptBeat(b?.Narration ?? "", b?.CardText ?? ""))], body.CallToAction ?? "");
        // The Google account is who checked the script: it is what the job's history records.
        var caller = AddonCallers.Caller(http);
        var result = await scripts.ContinueAsync(id, body.Generation, edit, caller, cancellationToken);
        log.ScriptChecked(caller, id, body.Generation, result.Outcome.ToString());
        switch (result.Outcome)
        {
            case ScriptReviewOutcome.Invalid:
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", detail: result.Message,
                    extensions: new Dictionary<string, object?> { ["problems"] = result.Problems });
            case ScriptReviewOutcome.NotWaiting:
                return await NotWaitingAsync(store, id, cancellationToken, result.Message);
            default:
                var status = (await store.GetAsync(id, cancellationToken))?.Status ?? "";
                return Results.Json(new AddonScriptSaved(id, result.Outcome == ScriptReviewOutcome.Continued ? "continued" : "already-continued", result.Message, status),
                    AddonJson.Default.AddonScriptSaved);
        }
    }

    /// <summary>404 for a job that does not exist; 409, saying what the job is doing, for one whose script is not waiting for a check.</summary>
    private static async Task<IResult> NotWaitingAsync(IJobStore store, Guid id, CancellationToken cancellationToken, string? detail = null) =>
        await store.GetAsync(id, cancellationToken) is { } job
            ? Problem(StatusCodes.Status409Conflict, detail ?? $"This row's script is not waiting for a check (the job is {job.Status}).")
            : Problem(StatusCodes.Status404NotFound, "No job with this id.");

    private static string Shown(string text) => text.Length > 60 ? text[..60] + "…" : text;

    private static IResult Problem(int status, string detail) =>
        Results.Problem(statusCode: status, title: status == StatusCodes.Status404NotFound ? "Not Found" : "Conflict", detail: detail);

    /// <summary>The body as <typeparamref name="T"/>, or a 400 that says what is wrong with it.</summary>
    private static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(request.Body, type, cancellationToken) is { } body
                ? (body, null)
                : (null, BadRequest("The request body is JSON null; send a JSON object."));
        }
        catch (JsonException e)
        {
            return (null, BadRequest($"The request body is not the JSON expected: {e.Message}"));
        }
    }

    /// <summary>
    /// The row's Job ID cell as intake reads it: null when absent, null or blank; the job id in its canonical form; or
    /// an error for the row when the cell holds something that is not a job id.
    /// </summary>
    private static (string? JobId, string? Error) JobIdCell(JsonElement cell)
    {
        if (cell.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return (null, null);
        }
        var text = cell.ValueKind == JsonValueKind.String ? cell.GetString()!.Trim() : cell.GetRawText();
        if (text.Length == 0)
        {
            return (null, null);
        }
        if (cell.ValueKind == JsonValueKind.String && Guid.TryParse(text, out var id))
        {
            return (id.ToString(), null);
        }
        var shown = text.Length > 60 ? text[..60] + "…" : text;
        return (null, $"Job ID \"{shown}\" is not a ViralForge job id; clear the Job ID cell (or put back the id ViralForge wrote) and submit the row again.");
    }

    /// <summary>The input columns among the cells, under their canonical names; other columns are ignored (the add-on may send more).</summary>
    private static Dictionary<string, string> InputCells(Dictionary<string, JsonElement>? cells)
    {
        var inputs = new Dictionary<string, string>();
        foreach (var (header, value) in cells ?? [])
        {
            if (SheetContract.Canonical(header) is { } column && !SheetContract.IsOutput(column))
            {
                inputs[column] = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString() ?? "",
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                    _ => "",
                };
            }
        }
        return inputs;
    }

    private static AddonJobResult Answer(RowIntake outcome) => outcome.Job is { } job
        ? new AddonJobResult(outcome.Row.RowNumber, job.Id, outcome.Created, job.Status, null)
        : new AddonJobResult(outcome.Row.RowNumber, null, false, JobStatus.Invalid, outcome.Error);

    private static AddonJobStatus NotFound(string? id, string error) => new(id, false, null, null, null, null, null, error);

    private static string? Cell(Dictionary<string, string?> outputs, string column) =>
        outputs.GetValueOrDefault(column) is { Length: > 0 } value ? value : null;

    private static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", detail: detail);
}

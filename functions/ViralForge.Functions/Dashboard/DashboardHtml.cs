using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;
using ViralForge.Core.Webhooks;

namespace ViralForge.Functions.Dashboard;

/// <summary>The antiforgery field every form carries.</summary>
public sealed record DashboardToken(string FieldName, string Value);

/// <summary>Everything the job's page shows.</summary>
public sealed record JobDetail(
    JobSummary Summary,
    IReadOnlyList<JobEvent> Events,
    IReadOnlyList<StageRun> Runs,
    IReadOnlyList<PaidCall> Costs,
    bool AwaitingReview,
    StageName RetryFrom);

/// <summary>
/// The dashboard's HTML: plain server-rendered markup and one small script, no framework and no build step. Every text
/// that came from a person, a sheet or a provider goes through <see cref="Encode"/>. No inline script or style (the
/// content security policy forbids both), so widths come from classes.
/// </summary>
public static class DashboardHtml
{
    /// <summary>The status words the filter offers: the sheet contract's.</summary>
    public static readonly IReadOnlyList<string> Statuses =
    [
        JobStatus.Queued, "trends", "analysis", "script", JobStatus.ScriptReview, "visuals", "voice", "render", "review", JobStatus.Approved,
        JobStatus.Publishing, JobStatus.Scheduled, JobStatus.Published, JobStatus.Rejected, JobStatus.Failed, JobStatus.Cancelled,
    ];

    /// <summary>The stages a Regenerate may redo from (later stages rerun after it).</summary>
    public static readonly IReadOnlyList<StageName> RegenerableStages = [StageName.Script, StageName.Visuals, StageName.Voice, StageName.Render];

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Encode(string? text) => Encoder.Encode(text ?? "");

    public static string ListPage(JobListPage page, JobFilter filter, QueueHealth health, DashboardViewer viewer, DateTimeOffset since, int disabledWebhooks = 0)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(health);
        var html = new StringBuilder();
        Open(html, "Jobs", viewer, since, jobId: null);
        if (disabledWebhooks > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"notice warn\" id=\"webhooks-disabled\" role=\"status\"><a href=\"/hooks\">{disabledWebhooks} webhook")
                .Append(disabledWebhooks == 1 ? "" : "s").Append(" disabled after a day of failed deliveries</a></p>\n");
        }
        Health(html, health);

        html.Append("<form method=\"get\" action=\"/\" class=\"filters\" aria-label=\"Filter jobs\">\n");
        html.Append("<label>Sheet <select name=\"sheet\"><option value=\"\">All sheets</option>");
        foreach (var sheet in page.Sheets)
        {
            html.Append("<option value=\"").Append(Encode(sheet)).Append('"').Append(sheet == filter.Sheet ? " selected" : "").Append('>')
                .Append(Encode(SheetName(sheet))).Append("</option>");
        }
        html.Append("</select></label>\n<label>Status <select name=\"status\"><option value=\"\">Any status</option>");
        foreach (var status in Statuses)
        {
            html.Append("<option").Append(status == filter.Status ? " selected" : "").Append('>').Append(Encode(status)).Append("</option>");
        }
        html.Append("</select></label>\n");
        html.Append("<label>From <input type=\"date\" name=\"from\" value=\"").Append(Date(filter.From)).Append("\"></label>\n");
        html.Append("<label>To <input type=\"date\" name=\"to\" value=\"").Append(Date(filter.To)).Append("\"></label>\n");
        html.Append("<button type=\"submit\">Filter</button> <a href=\"/\">Clear</a></form>\n");

        html.Append(CultureInfo.InvariantCulture, $"<p class=\"count\" id=\"job-count\">{page.Total} job{(page.Total == 1 ? "" : "s")}")
            .Append(page.Total > 0 ? $", page {page.Page.ToString(CultureInfo.InvariantCulture)} of {page.Pages.ToString(CultureInfo.InvariantCulture)}" : "")
            .Append("</p>\n<p class=\"notice\" id=\"live-notice\" role=\"status\" hidden><a href=\"\">New jobs: reload the list</a></p>\n");
        if (page.Jobs.Count == 0)
        {
            html.Append("<p class=\"empty\">No jobs match.</p>\n");
        }
        else
        {
            html.Append("<table class=\"jobs cards\">\n<thead><tr><th>Row</th><th>Status</th><th>Stage</th><th>Time in each stage</th><th>Attempts</th><th>Cost</th><th>Error</th><th>Video</th></tr></thead>\n<tbody>\n");
            foreach (var summary in page.Jobs)
            {
                Row(html, summary);
            }
            html.Append("</tbody></table>\n");
        }
        Pager(html, page, filter);
        return Close(html);
    }

    public static string JobPage(JobDetail detail, DashboardViewer viewer, DashboardToken token, string? notice, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(token);
        var summary = detail.Summary;
        var job = summary.Job;
        var html = new StringBuilder();
        Open(html, job.Request.Topic, viewer, since, job.Id);
        html.Append("<p><a href=\"/\">All jobs</a></p>\n");
        if (notice is not null)
        {
            html.Append("<p class=\"notice\" role=\"status\" id=\"action-notice\">").Append(Encode(notice)).Append("</p>\n");
        }
        html.Append("<p class=\"notice\" id=\"live-notice\" role=\"status\" hidden><a href=\"\">This job changed: reload for its new events</a></p>\n");
        html.Append(CultureInfo.InvariantCulture, $"<section class=\"job\" id=\"job-{job.Id}\" data-job=\"{job.Id}\">\n<dl class=\"facts\">");
        Fact(html, "Status", $"<span class=\"status s-{Encode(job.Status)}\">{Encode(job.Status)}</span>");
        Fact(html, "Stage", $"<span class=\"stage\">{Encode(job.Stage?.Wire() ?? "")}</span>");
        Fact(html, "Generation", job.Generation.ToString(CultureInfo.InvariantCulture));
        Fact(html, "Sheet", Encode(job.SheetId));
        Fact(html, "Platform", Encode(job.Request.Platforms.ToString().ToLowerInvariant()));
        Fact(html, "Duration", Encode($"{job.Request.DurationSeconds.ToString(CultureInfo.InvariantCulture)} s"));
        Fact(html, "Attempts", summary.Attempts.ToString(CultureInfo.InvariantCulture));
        Fact(html, "Cost", Money(summary.Cost));
        Fact(html, "Created", Time(job.CreatedAt));
        Fact(html, "Updated", $"<span class=\"updated\">{Time(job.UpdatedAt)}</span>");
        Fact(html, "Error", $"<span class=\"error\">{Encode(job.Error)}</span>");
        html.Append("</dl>\n");
        Timeline(html, summary.Timeline, detailed: true);
        html.Append("</section>\n");

        Actions(html, detail, token);
        Media(html, summary);
        Outputs(html, detail);

        if (detail.Costs.Count > 0)
        {
            html.Append("<h2>Paid calls</h2>\n<table class=\"costs cards\"><thead><tr><th>Stage</th><th>Call</th><th>Provider</th><th>Units</th><th>Cost</th></tr></thead><tbody>\n");
            foreach (var call in detail.Costs)
            {
                html.Append("<tr><td data-label=\"Stage\">").Append(Encode(call.Work.Stage.Wire())).Append(CultureInfo.InvariantCulture, $" (g{call.Work.Generation})")
                    .Append("</td><td data-label=\"Call\">").Append(Encode(call.Work.Call))
                    .Append("</td><td data-label=\"Provider\">").Append(Encode(call.Provider))
                    .Append("</td><td data-label=\"Units\">").Append(Encode($"{call.Units.ToString("0.####", CultureInfo.InvariantCulture)} {call.UnitKind}"))
                    .Append("</td><td data-label=\"Cost\">").Append(Money(call.Usd)).Append("</td></tr>\n");
            }
            html.Append("</tbody></table>\n");
        }

        html.Append("<h2>Event log</h2>\n<table class=\"events cards\"><thead><tr><th>When</th><th>Event</th><th>Stage</th><th>Message</th></tr></thead><tbody>\n");
        foreach (var e in detail.Events)
        {
            html.Append("<tr><td data-label=\"When\">").Append(Time(e.At)).Append("</td><td data-label=\"Event\">").Append(Encode(e.Kind))
                .Append("</td><td data-label=\"Stage\">").Append(Encode(e.Stage?.Wire())).Append("</td><td data-label=\"Message\">").Append(Encode(e.Message)).Append("</td></tr>\n");
        }
        html.Append("</tbody></table>\n");
        return Close(html);
    }

    /// <summary>The webhooks page: each subscription's state (a disabled one with its reason, prominently), newest deliveries, delete; and the add form.</summary>
    public static string WebhooksPage(
        IReadOnlyList<WebhookRow> rows, DashboardViewer viewer, DashboardToken token, string? notice, bool refused, WebhookSubscription? created, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(token);
        var html = new StringBuilder();
        Open(html, "Webhooks", viewer, since, jobId: null);
        html.Append("<p><a href=\"/\">All jobs</a></p>\n");
        if (notice is not null)
        {
            html.Append("<p class=\"notice").Append(refused ? " warn" : "")
                .Append("\" role=\"status\" id=\"action-notice\">").Append(Encode(notice)).Append("</p>\n");
        }
        if (created is not null)
        {
            html.Append("<dl class=\"facts secret\" id=\"new-secret\">");
            Fact(html, "URL", Encode(created.Url.AbsoluteUri));
            Fact(html, "Signing secret", $"<code>{Encode(created.Secret)}</code>");
            html.Append("</dl>\n");
        }
        if (rows.Count == 0)
        {
            html.Append("<p class=\"empty\">No subscriptions yet.</p>\n");
        }
        foreach (var (s, deliveries) in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"hook\" id=\"hook-{s.Id}\"><h2>{Encode(s.Url.AbsoluteUri)}</h2>\n");
            if (s.DisabledAt is { } disabledAt)
            {
                html.Append("<p class=\"notice warn\" role=\"alert\"><strong>Disabled</strong> at ").Append(Time(disabledAt)).Append(": ")
                    .Append(Encode(s.DisabledReason ?? "no reason recorded")).Append(" Nothing is sent to it; delete it and add it again once the receiver works.</p>\n");
            }
            html.Append("<dl class=\"facts\">");
            Fact(html, "State", s.DisabledAt is not null ? "<span class=\"status s-failed\">disabled</span>"
                : s.FirstFailureAt is { } failing ? $"<span class=\"status s-failing\">failing</span> since {Time(failing)}" : "<span class=\"status s-published\">active</span>");
            Fact(html, "Events", Encode(string.Join(", ", s.Events)));
            Fact(html, "Created", Time(s.CreatedAt));
            html.Append("</dl>\n");
            if (deliveries.Count == 0)
            {
                html.Append("<p class=\"empty\">No deliveries yet.</p>\n");
            }
            else
            {
                html.Append("<table class=\"deliveries cards\"><thead><tr><th>When</th><th>Event</th><th>Attempt</th><th>Status</th><th>Error</th></tr></thead><tbody>\n");
                foreach (var d in deliveries)
                {
                    html.Append("<tr><td data-label=\"When\">").Append(Time(d.At)).Append("</td><td data-label=\"Event\">").Append(Encode(d.EventType))
                        .Append("</td><td data-label=\"Attempt\">").Append(d.Attempt.ToString(CultureInfo.InvariantCulture))
                        .Append("</td><td data-label=\"Status\"><span class=\"status ").Append(d.Succeeded ? "s-published" : "s-failed").Append("\">")
                        .Append(Encode(d.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "no answer")).Append("</span></td><td data-label=\"Error\" class=\"error\">")
                        .Append(Encode(d.Error)).Append("</td></tr>\n");
                }
                html.Append("</tbody></table>\n");
            }
            html.Append("<div class=\"actions\">");
            html.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/hooks/{s.Id}/delete\" class=\"action delete\" data-confirm=\"{Encode($"Delete the subscription to {s.Url.AbsoluteUri} and its delivery log?")}\">")
                .Append(Hidden(token)).Append("<button type=\"submit\">Delete</button></form></div>\n</section>\n");
        }

        html.Append("<section class=\"actions add-hook\" aria-label=\"Add a subscription\"><h2>Add a subscription</h2>\n")
            .Append("<form method=\"post\" action=\"/hooks/add\" class=\"action add\">").Append(Hidden(token))
            .Append("<label class=\"url\">URL <input type=\"url\" name=\"url\" required placeholder=\"https://hooks.example.com/viralforge\"></label>")
            .Append("<fieldset><legend>Events</legend>");
        foreach (var type in WebhookEventTypes.All)
        {
            html.Append("<label><input type=\"checkbox\" name=\"events\" value=\"").Append(Encode(type)).Append("\" checked> ").Append(Encode(type)).Append("</label> ");
        }
        html.Append("</fieldset><button type=\"submit\">Add</button>")
            .Append("<p class=\"hint\">The address is checked as the API checks it (public addresses only); the signing secret is shown once.</p></form></section>\n");
        return Close(html);
    }

    private static string Hidden(DashboardToken token) =>
        $"<input type=\"hidden\" name=\"{Encode(token.FieldName)}\" value=\"{Encode(token.Value)}\">";

    /// <summary>A page with one sentence: a refusal, a missing job, a refused form.</summary>
    public static string MessagePage(string title, string message, string? signInClientId = null)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Encode(title)).Append(" · ViralForge</title><link rel=\"stylesheet\" href=\"/dashboard/dashboard.css\"><link rel=\"icon\" href=\"/dashboard/icon.svg\">");
        if (signInClientId is not null)
        {
            html.Append("<script src=\"https://accounts.google.com/gsi/client\" async></script><script src=\"/dashboard/signin.js\" defer></script>");
        }
        html.Append("</head><body><header><a class=\"brand\" href=\"/\">ViralForge</a></header><main>\n<h1>").Append(Encode(title)).Append("</h1>\n<p role=\"alert\">")
            .Append(Encode(message)).Append("</p>\n");
        if (signInClientId is not null)
        {
            // Google Identity Services calls vfSignedIn (signin.js) with the ID token, which it keeps in a cookie.
            html.Append("<div id=\"g_id_onload\" data-client_id=\"").Append(Encode(signInClientId))
                .Append("\" data-callback=\"vfSignedIn\" data-auto_prompt=\"false\"></div><div class=\"g_id_signin\" data-type=\"standard\"></div>\n");
        }
        html.Append("<p><a href=\"/\">All jobs</a></p></main></body></html>\n");
        return html.ToString();
    }

    private static void Open(StringBuilder html, string title, DashboardViewer? viewer, DateTimeOffset since, Guid? jobId)
    {
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Encode(title)).Append(" · ViralForge</title><link rel=\"stylesheet\" href=\"/dashboard/dashboard.css\"><link rel=\"icon\" href=\"/dashboard/icon.svg\">")
            .Append("<script src=\"/dashboard/dashboard.js\" defer></script></head>\n")
            .Append("<body data-since=\"").Append(Encode(since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))).Append('"')
            .Append(jobId is { } id ? $" data-job=\"{id}\"" : "").Append(">\n<header><a class=\"brand\" href=\"/\">ViralForge</a> <a href=\"/hooks\">Webhooks</a> <span class=\"viewer\">")
            .Append(Encode(viewer?.Name)).Append("</span> <span class=\"live\" id=\"live\" title=\"Live updates\">●</span></header>\n<main>\n<h1>")
            .Append(Encode(title)).Append("</h1>\n");
    }

    private static string Close(StringBuilder html) => html.Append("</main></body></html>\n").ToString();

    private static void Health(StringBuilder html, QueueHealth health)
    {
        html.Append("<section class=\"health\" aria-label=\"Queue health\"><h2>Queue health</h2>\n<div class=\"panels\">\n");
        html.Append("<div><table class=\"queues\"><thead><tr><th>Queue</th><th>Waiting</th><th>Running</th><th>Dead</th></tr></thead><tbody>\n");
        if (health.Queues.Count == 0)
        {
            html.Append("<tr><td colspan=\"4\" class=\"empty\">No tasks waiting, running or dead.</td></tr>\n");
        }
        foreach (var queue in health.Queues)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-queue=\"{Encode(queue.Queue)}\"><td data-label=\"Queue\">{Encode(queue.Queue)}</td><td data-label=\"Waiting\">{queue.Waiting}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td data-label=\"Running\">{queue.Running}</td><td data-label=\"Dead\">{queue.Dead}</td></tr>\n");
        }
        html.Append("</tbody></table></div>\n<div><p class=\"today\">Cost today (UTC): <strong id=\"cost-today\">").Append(Money(health.CostToday)).Append("</strong></p>\n");
        if (health.UsageToday.Count > 0)
        {
            html.Append("<ul class=\"usage\">");
            foreach (var usage in health.UsageToday)
            {
                html.Append("<li>").Append(Encode($"{usage.Provider}: {usage.Units.ToString("0.####", CultureInfo.InvariantCulture)} {usage.UnitKind}"))
                    .Append(" (").Append(Money(usage.Usd)).Append(")</li>");
            }
            html.Append("</ul>\n");
        }
        html.Append("</div></div>\n");
        if (health.Dead.Count > 0)
        {
            html.Append("<details class=\"dead\"><summary>").Append(health.Dead.Count.ToString(CultureInfo.InvariantCulture)).Append(" dead-lettered tasks (newest first)</summary><ul>\n");
            foreach (var dead in health.Dead)
            {
                html.Append("<li>").Append(Encode($"{dead.Queue} {dead.Path} after {dead.Attempts} attempts"))
                    .Append(dead.LastStatus is { } status ? Encode($", last answer {status}") : "")
                    .Append(dead.FinishedAt is { } at ? $", {Time(at)}" : "")
                    .Append(dead.JobId is { } job ? $" <a href=\"/job/{job}\">job</a>" : "")
                    .Append(dead.LastError is { } error ? $": <span class=\"error\">{Encode(error)}</span>" : "").Append("</li>\n");
            }
            html.Append("</ul></details>\n");
        }
        html.Append("</section>\n");
    }

    private static void Row(StringBuilder html, JobSummary summary)
    {
        var job = summary.Job;
        html.Append(CultureInfo.InvariantCulture, $"<tr id=\"job-{job.Id}\" data-job=\"{job.Id}\">")
            .Append(CultureInfo.InvariantCulture, $"<td data-label=\"Row\" class=\"row\"><span><a href=\"/job/{job.Id}\">{Encode(job.Request.Topic)}</a>")
            .Append("<span class=\"sheet\">").Append(Encode(SheetName(job.SheetId))).Append("</span></span></td>")
            .Append("<td data-label=\"Status\"><span class=\"status s-").Append(Encode(job.Status)).Append("\">").Append(Encode(job.Status)).Append("</span></td>")
            .Append("<td data-label=\"Stage\" class=\"stage\">").Append(Encode(job.Stage?.Wire())).Append("</td>")
            .Append("<td data-label=\"Time in stages\">");
        Timeline(html, summary.Timeline, detailed: false);
        html.Append("</td><td data-label=\"Attempts\" class=\"attempts\">").Append(summary.Attempts.ToString(CultureInfo.InvariantCulture))
            .Append("</td><td data-label=\"Cost\">").Append(Money(summary.Cost))
            .Append("</td><td data-label=\"Error\" class=\"error\">").Append(Encode(job.Error))
            .Append("</td><td data-label=\"Video\" class=\"media\">");
        MediaLinks(html, summary);
        html.Append("</td></tr>\n");
    }

    private static void MediaLinks(StringBuilder html, JobSummary summary)
    {
        var id = summary.Job.Id;
        if (summary.HasVideo)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"/job/{id}/video\">video</a> ");
        }
        if (summary.HasThumbnail)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"/job/{id}/thumbnail\">thumbnail</a> ");
        }
        if (summary.PublishedUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var published) && published.Scheme is "http" or "https" or "file")
        {
            html.Append("<a href=\"").Append(Encode(published.ToString())).Append("\" rel=\"noopener noreferrer\">published</a>");
        }
    }

    /// <summary>A bar of one segment per stage, as wide as the share of the time spent there (classes w1..w20).</summary>
    private static void Timeline(StringBuilder html, IReadOnlyList<StageSpan> spans, bool detailed)
    {
        if (spans.Count == 0)
        {
            html.Append("<span class=\"empty\">not started</span>");
            return;
        }
        var total = Math.Max(spans.Sum(s => s.Duration.TotalSeconds), 0.001);
        html.Append("<ol class=\"timeline\" aria-label=\"Time in each stage\">");
        foreach (var span in spans)
        {
            var share = Math.Clamp((int)Math.Round(20 * span.Duration.TotalSeconds / total), 1, 20);
            var text = $"{span.Stage.Wire()} {Duration(span.Duration)}{(span.Running ? " so far" : "")}";
            html.Append(CultureInfo.InvariantCulture, $"<li class=\"seg t-{span.Stage.Wire()} w{share}{(span.Running ? " running" : "")}\" title=\"{Encode(text)}\"><span>{Encode(text)}</span></li>");
        }
        html.Append("</ol>");
        if (detailed)
        {
            html.Append("<ul class=\"spans\">");
            foreach (var span in spans)
            {
                html.Append("<li>").Append(Encode($"{span.Stage.Wire()}: {Duration(span.Duration)}{(span.Running ? " so far" : "")}")).Append("</li>");
            }
            html.Append("</ul>\n");
        }
    }

    private static void Actions(StringBuilder html, JobDetail detail, DashboardToken token)
    {
        var job = detail.Summary.Job;
        html.Append("<section class=\"actions\" aria-label=\"Actions\"><h2>Actions</h2>\n");
        var any = false;
        if (job.Status == JobStatus.Failed)
        {
            any = true;
            Form(html, job, token, "retry", $"Retry from {detail.RetryFrom.Wire()}",
                $"<p class=\"hint\">Runs the job again as generation {(job.Generation + 1).ToString(CultureInfo.InvariantCulture)} from {Encode(detail.RetryFrom.Wire())}; earlier stages' outputs are reused.</p>");
        }
        if (detail.AwaitingReview)
        {
            any = true;
            var fields = new StringBuilder("<label>Stage <select name=\"stage\">");
            foreach (var stage in RegenerableStages)
            {
                fields.Append("<option>").Append(stage.Wire()).Append("</option>");
            }
            fields.Append("</select></label> <label>What should change <input type=\"text\" name=\"feedback\" maxlength=\"500\"></label>");
            Form(html, job, token, "regenerate", "Regenerate", fields.ToString());
        }
        if (!job.IsTerminal)
        {
            any = true;
            Form(html, job, token, "cancel", "Cancel job", "", confirm: "Cancel this job? Its finished stages are undone.");
        }
        if (job.Status is JobStatus.Published or JobStatus.Scheduled)
        {
            any = true;
            Form(html, job, token, "takedown", "Take down", "", confirm: "Take this video down from its platforms and delete its files?");
        }
        if (!any)
        {
            html.Append("<p class=\"empty\">Nothing to do: the job has ended.</p>\n");
        }
        html.Append("</section>\n");
    }

    private static void Form(StringBuilder html, Job job, DashboardToken token, string action, string label, string fields, string? confirm = null)
    {
        html.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/job/{job.Id}/{action}\" class=\"action {action}\"")
            .Append(confirm is null ? "" : $" data-confirm=\"{Encode(confirm)}\"").Append('>')
            .Append("<input type=\"hidden\" name=\"").Append(Encode(token.FieldName)).Append("\" value=\"").Append(Encode(token.Value)).Append("\">")
            .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"generation\" value=\"{job.Generation}\">")
            .Append(fields).Append(" <button type=\"submit\">").Append(Encode(label)).Append("</button></form>\n");
    }

    private static void Media(StringBuilder html, JobSummary summary)
    {
        if (!summary.HasVideo && !summary.HasThumbnail && summary.PublishedUrl is null)
        {
            return;
        }
        var id = summary.Job.Id;
        html.Append("<section class=\"media\"><h2>Video</h2>\n");
        if (summary.HasVideo)
        {
            html.Append(CultureInfo.InvariantCulture, $"<video controls preload=\"metadata\" src=\"/job/{id}/video\"")
                .Append(summary.HasThumbnail ? $" poster=\"/job/{id}/thumbnail\"" : "").Append("></video>\n");
        }
        html.Append("<p>");
        MediaLinks(html, summary);
        html.Append("</p></section>\n");
    }

    private static void Outputs(StringBuilder html, JobDetail detail)
    {
        var latest = detail.Runs.Where(r => r.Status == StageRunStatus.Completed || r.Status == StageRunStatus.AwaitingApproval)
            .Where(r => r.Output is not null)
            .GroupBy(r => r.Stage)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.Generation).First());
        html.Append("<h2>Stage outputs</h2>\n");
        var shown = false;
        if (latest.TryGetValue(StageName.Script, out var scriptRun) && TryRead<VideoScript>(scriptRun, out var script))
        {
            shown = true;
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"output script\"><h3>Script (generation {scriptRun.Generation})</h3><dl class=\"facts\">");
            Fact(html, "Title", Encode(script.Title));
            Fact(html, "Hook", Encode(script.Hook));
            html.Append("</dl><ol class=\"beats\">");
            foreach (var beat in script.Beats ?? [])
            {
                html.Append("<li>").Append(Encode(beat.Narration));
                if (!string.IsNullOrEmpty(beat.CardText))
                {
                    html.Append(" <span class=\"card\">[").Append(Encode(beat.CardText)).Append("]</span>");
                }
                html.Append("</li>");
            }
            html.Append("</ol><dl class=\"facts\">");
            Fact(html, "Call to action", Encode(script.CallToAction));
            Fact(html, "Description", Encode(script.Description));
            Fact(html, "Tags", Encode(string.Join(", ", script.Tags ?? [])));
            html.Append("</dl></section>\n");
        }
        if (latest.TryGetValue(StageName.Voice, out var voiceRun) && TryRead<VoiceOutput>(voiceRun, out var voice))
        {
            shown = true;
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"output voice\"><h3>Voice (generation {voiceRun.Generation})</h3><dl class=\"facts\">");
            Fact(html, "Voice", Encode(voice.Voice));
            Fact(html, "Language", Encode(voice.Language));
            Fact(html, "Length", Encode($"{voice.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s, {voice.Words?.Count ?? 0} words"));
            html.Append("</dl></section>\n");
        }
        if (latest.TryGetValue(StageName.Visuals, out var visualsRun) && TryRead<VisualsOutput>(visualsRun, out var visuals))
        {
            shown = true;
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"output visuals\"><h3>Visuals (generation {visualsRun.Generation})</h3>")
                .Append("<table class=\"clips cards\"><thead><tr><th>Beat</th><th>Kind</th><th>Length</th><th>Source</th><th>Licence</th></tr></thead><tbody>\n");
            foreach (var clip in visuals.Clips ?? [])
            {
                html.Append("<tr><td data-label=\"Beat\">").Append((clip.BeatIndex + 1).ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td data-label=\"Kind\">").Append(Encode(clip.Kind))
                    .Append("</td><td data-label=\"Length\">").Append(Encode($"{clip.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"))
                    .Append("</td><td data-label=\"Source\">");
                if (clip.Credit is { } credit)
                {
                    html.Append(Encode($"{credit.Author} on {credit.Provider}"));
                    if (Uri.TryCreate(credit.PageUrl, UriKind.Absolute, out var page) && page.Scheme is "http" or "https")
                    {
                        html.Append(" <a href=\"").Append(Encode(page.ToString())).Append("\" rel=\"noopener noreferrer\">page</a>");
                    }
                    html.Append("</td><td data-label=\"Licence\">").Append(Encode(credit.Licence));
                }
                else
                {
                    html.Append("made by ViralForge</td><td data-label=\"Licence\">own work");
                }
                html.Append("</td></tr>\n");
            }
            html.Append("</tbody></table></section>\n");
        }
        if (latest.TryGetValue(StageName.Publish, out var publishRun) && TryRead<PublishOutput>(publishRun, out var publish))
        {
            shown = true;
            html.Append("<section class=\"output publish\"><h3>Published</h3><ul>");
            foreach (var video in publish.Videos ?? [])
            {
                html.Append("<li>").Append(Encode($"{video.Platform}: {video.Url}")).Append(video.Note is { } note ? $" ({Encode(note)})" : "").Append("</li>");
            }
            html.Append("</ul></section>\n");
        }
        if (!shown)
        {
            html.Append("<p class=\"empty\">No stage has written an output yet.</p>\n");
        }
    }

    /// <summary>A stage's output as its record; fields an older or partial output lacks read as null, which the sections allow for.</summary>
    private static bool TryRead<T>(StageRun run, out T value) where T : class
    {
        try
        {
            value = StageJson.FromElement<T>(run.Output!.Value);
            return value is not null;
        }
        catch (JsonException)
        {
            value = null!;
            return false;
        }
    }

    private static void Pager(StringBuilder html, JobListPage page, JobFilter filter)
    {
        if (page.Pages <= 1)
        {
            return;
        }
        html.Append("<nav class=\"pager\" aria-label=\"Pages\">");
        if (page.Page > 1)
        {
            html.Append("<a rel=\"prev\" href=\"").Append(Encode(Query(filter, page.Page - 1))).Append("\">Previous</a> ");
        }
        html.Append(CultureInfo.InvariantCulture, $"<span>Page {page.Page} of {page.Pages}</span>");
        if (page.Page < page.Pages)
        {
            html.Append(" <a rel=\"next\" href=\"").Append(Encode(Query(filter, page.Page + 1))).Append("\">Next</a>");
        }
        html.Append("</nav>\n");
    }

    /// <summary>The list's address for a page with the same filters.</summary>
    public static string Query(JobFilter filter, int page)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = new List<string>();
        if (filter.Sheet is { } sheet)
        {
            parts.Add("sheet=" + Uri.EscapeDataString(sheet));
        }
        if (filter.Status is { } status)
        {
            parts.Add("status=" + Uri.EscapeDataString(status));
        }
        if (filter.From is { } from)
        {
            parts.Add("from=" + Date(from));
        }
        if (filter.To is { } to)
        {
            parts.Add("to=" + Date(to));
        }
        parts.Add("page=" + page.ToString(CultureInfo.InvariantCulture));
        return "/?" + string.Join('&', parts);
    }

    private static void Fact(StringBuilder html, string name, string valueHtml) =>
        html.Append("<dt>").Append(Encode(name)).Append("</dt><dd>").Append(valueHtml).Append("</dd>");

    /// <summary>A sheet as people know it: the CSV file's name locally, the spreadsheet id in production.</summary>
    public static string SheetName(string sheetId)
    {
        ArgumentNullException.ThrowIfNull(sheetId);
        return sheetId.Contains('/', StringComparison.Ordinal) || sheetId.Contains('\\', StringComparison.Ordinal) ? Path.GetFileName(sheetId) : sheetId;
    }

    public static string Money(decimal usd) => "$" + usd.ToString("0.00##", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) => span.TotalSeconds switch
    {
        < 10 => $"{span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s",
        < 60 => $"{((int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s",
        < 3600 => $"{((int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min {span.Seconds.ToString(CultureInfo.InvariantCulture)} s",
        < 86400 => $"{((int)span.TotalHours).ToString(CultureInfo.InvariantCulture)} h {span.Minutes.ToString(CultureInfo.InvariantCulture)} min",
        _ => $"{((int)span.TotalDays).ToString(CultureInfo.InvariantCulture)} d {span.Hours.ToString(CultureInfo.InvariantCulture)} h",
    };

    private static string Time(DateTimeOffset at) =>
        $"<time datetime=\"{at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}\">{at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC</time>";

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <summary>The page script: keeps rows current from /events, asks before a destructive form is sent.</summary>
    public const string Script = """
        "use strict";
        (() => {
          const body = document.body;
          const job = body.dataset.job;
          document.querySelectorAll("form[data-confirm]").forEach(form => {
            form.addEventListener("submit", event => { if (!window.confirm(form.dataset.confirm)) event.preventDefault(); });
          });
          if (!window.EventSource) return;
          const live = document.getElementById("live");
          const notice = document.getElementById("live-notice");
          const url = "/events?since=" + encodeURIComponent(body.dataset.since || "") + (job ? "&job=" + job : "");
          const source = new EventSource(url);
          source.addEventListener("open", () => { if (live) live.classList.add("on"); });
          source.addEventListener("error", () => { if (live) live.classList.remove("on"); });
          const text = (root, selector, value) => { const el = root.querySelector(selector); if (el) el.textContent = value || ""; };
          source.addEventListener("job", event => {
            const change = JSON.parse(event.data);
            const root = document.getElementById("job-" + change.id);
            if (!root) {
              if (notice) notice.hidden = false;
              return;
            }
            const status = root.querySelector(".status");
            if (status) { status.textContent = change.status; status.className = "status s-" + change.status; }
            text(root, ".stage", change.stage);
            text(root, ".error", change.error);
            root.classList.remove("changed");
            void root.offsetWidth;
            root.classList.add("changed");
            root.dataset.status = change.status;
            if (job && notice) notice.hidden = false;
          });
        })();
        """;

    /// <summary>Google Identity Services hands the signed-in person's ID token here; the dashboard reads it from the cookie.</summary>
    public const string SignInScript = """
        "use strict";
        window.vfSignedIn = response => {
          document.cookie = "vf-dashboard-id=" + response.credential + "; path=/; secure; samesite=strict; max-age=3000";
          window.location.reload();
        };
        """;

    /// <summary>The tab's icon (a browser asks for /favicon.ico otherwise).</summary>
    public const string Icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1b1b1b"/><path d="M12 9l12 7-12 7z" fill="#f0b45a"/></svg>
        """;

    public const string Stylesheet = """
        * { box-sizing: border-box; }
        body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 90rem; padding: .8rem; line-height: 1.4; color: #1b1b1b; }
        header { display: flex; gap: .8rem; align-items: baseline; border-bottom: 1px solid #ddd; padding-bottom: .4rem; }
        header .brand { font-weight: 700; text-decoration: none; color: inherit; }
        header .viewer { margin-left: auto; color: #555; font-size: .9rem; overflow-wrap: anywhere; }
        .live { color: #bbb; } .live.on { color: #2a8a2a; }
        h1 { font-size: 1.4rem; overflow-wrap: anywhere; } h2 { font-size: 1.15rem; margin-top: 1.4rem; }
        .notice { background: #eef6ee; border: 1px solid #7a7; padding: .5rem .8rem; }
        .notice.warn { background: #fbeeee; border-color: #c77; overflow-wrap: anywhere; }
        .s-failing { color: #9a5a00; }
        .secret code { overflow-wrap: anywhere; font-size: 1rem; background: #fff6c8; padding: .1rem .3rem; }
        .hook h2 { overflow-wrap: anywhere; }
        .add-hook label.url { display: flex; flex-direction: column; flex: 1 1 18rem; min-width: 0; }
        .add-hook fieldset { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .2rem 1rem; min-width: 0; }
        .error, [role=alert] { color: #8a1c1c; overflow-wrap: anywhere; }
        .empty, .hint, .sheet, .count { color: #666; }
        .sheet { display: block; font-size: .8rem; overflow-wrap: anywhere; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
        td { overflow-wrap: anywhere; }
        .health .panels { display: flex; flex-wrap: wrap; gap: 1rem 2rem; }
        .health .panels > div { flex: 1 1 18rem; min-width: 0; }
        form.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: 1rem 0; }
        form.filters label { display: flex; flex-direction: column; font-size: .9rem; min-width: 0; }
        form.filters select { max-width: 16rem; }
        select, input, button { font: inherit; max-width: 100%; }
        button { padding: .35rem .9rem; }
        .status { font-weight: 600; white-space: nowrap; }
        .s-failed, .s-rejected { color: #8a1c1c; } .s-published, .s-scheduled { color: #2a6a2a; } .s-cancelled { color: #666; }
        tr.changed { animation: flash 1.5s; }
        @keyframes flash { from { background: #fff6c8; } to { background: transparent; } }
        ol.timeline { display: flex; list-style: none; margin: 0; padding: 0; height: .9rem; min-width: 8rem; max-width: 16rem; border-radius: 3px; overflow: hidden; background: #eee; }
        ol.timeline li { flex-basis: 0; min-width: 3px; }
        ol.timeline li span { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        ol.timeline li.running { opacity: .6; }
        .t-trends { background: #8fb8de; } .t-analysis { background: #6c9bd2; } .t-script { background: #f0b45a; } .t-visuals { background: #9ccf7b; }
        .t-voice { background: #c79bd6; } .t-render { background: #e58b7a; } .t-review { background: #d7c55c; } .t-publish { background: #5cb8a8; }
        .w1 { flex-grow: 1; } .w2 { flex-grow: 2; } .w3 { flex-grow: 3; } .w4 { flex-grow: 4; } .w5 { flex-grow: 5; } .w6 { flex-grow: 6; } .w7 { flex-grow: 7; }
        .w8 { flex-grow: 8; } .w9 { flex-grow: 9; } .w10 { flex-grow: 10; } .w11 { flex-grow: 11; } .w12 { flex-grow: 12; } .w13 { flex-grow: 13; }
        .w14 { flex-grow: 14; } .w15 { flex-grow: 15; } .w16 { flex-grow: 16; } .w17 { flex-grow: 17; } .w18 { flex-grow: 18; } .w19 { flex-grow: 19; } .w20 { flex-grow: 20; }
        ul.spans { display: flex; flex-wrap: wrap; gap: .2rem 1rem; list-style: none; padding: 0; font-size: .9rem; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
        dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
        .actions form { margin: .6rem 0; display: flex; flex-wrap: wrap; gap: .4rem .8rem; align-items: center; }
        .actions form .hint { flex-basis: 100%; margin: 0; }
        video { width: 270px; max-width: 100%; aspect-ratio: 9 / 16; background: #000; }
        .pager { margin: 1rem 0; display: flex; gap: 1rem; }
        @media (max-width: 700px) {
          table.cards thead { display: none; }
          table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: 100%; }
          table.cards tr { border: 1px solid #ddd; border-radius: 6px; margin: 0 0 .7rem; padding: .3rem .5rem; }
          table.cards td { border: 0; padding: .15rem 0; display: flex; gap: .6rem; }
          table.cards td[data-label]::before { content: attr(data-label); flex: 0 0 6.5rem; font-weight: 600; color: #555; }
          table.cards td > * { min-width: 0; }
          ol.timeline { flex: 1; }
          dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: .3rem; }
        }
        """;
}

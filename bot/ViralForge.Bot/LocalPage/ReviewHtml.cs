using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;

namespace ViralForge.Bot.LocalPage;

/// <summary>The form's hidden fields: the antiforgery token's field name and value, rendered into every form.</summary>
public sealed record FormToken(string FieldName, string Value);

/// <summary>
/// The review page's HTML: plain server-rendered markup, no framework. Every text that came from a person or a
/// provider (topic, script, reasons, names) goes through <see cref="Encode"/>.
/// </summary>
public static class ReviewHtml
{
    /// <summary>What a regenerate may redo from; later stages rerun after it.</summary>
    public static readonly IReadOnlyList<StageName> RegenerableStages = [StageName.Script, StageName.Visuals, StageName.Voice];

    // Every script stays readable in the source (no &#x...; for accented or CJK letters); only markup characters are encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Encode(string? text) => Encoder.Encode(text ?? "");

    /// <summary>The list: scripts waiting for a check, videos waiting for review, the jobs still being made (with a long stage's percent), recently decided ones.</summary>
    /// <param name="reviewer">The name this browser gave last time (<see cref="ReviewerName"/>), filled into every Your name field.</param>
    /// <param name="scripts">Jobs whose script waits for a check (the Review Script gate), listed first.</param>
    public static string ListPage(IReadOnlyList<ReviewItem> awaiting, IReadOnlyList<ReviewItem> decided, FormToken token, string? notice,
        IReadOnlyList<JobInProgress>? inProgress = null, string? reviewer = null, IReadOnlyList<ScriptReviewItem>? scripts = null)
    {
        var html = new StringBuilder();
        Open(html, "Review", notice);
        // The script looks at /review/waiting and says here when a video or script not on this page waits for a person.
        html.Append(CultureInfo.InvariantCulture, $"<p id=\"waiting-notice\" class=\"notice\" role=\"status\" hidden data-every=\"{WaitingPollMilliseconds}\" data-shown=\"")
            .AppendJoin(' ', awaiting.Select(a => a.Job.Id).Concat((scripts ?? []).Select(s => s.Job.Id)))
            .Append("\"></p>\n");
        if (scripts is { Count: > 0 })
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>Scripts waiting for a check ({scripts.Count})</h2>\n<ul class=\"scripts\">\n");
            foreach (var waiting in scripts)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li id=\"script-{waiting.Job.Id}\"><a href=\"/review/{waiting.Job.Id}/script\">")
                    .Append(Encode(string.IsNullOrWhiteSpace(waiting.Script.Title) ? waiting.Job.Request.Topic : waiting.Script.Title))
                    .Append("</a>: ").Append(Encode(waiting.Job.Request.Topic)).Append(" <span class=\"status\">(read and edit the script before it is rendered)</span></li>\n");
            }
            html.Append("</ul>\n");
        }
        html.Append(CultureInfo.InvariantCulture, $"<h2>Waiting for review ({awaiting.Count})</h2>\n");
        if (awaiting.Count == 0)
        {
            html.Append("<p class=\"empty\">Nothing is waiting for review.</p>\n");
        }
        foreach (var item in awaiting)
        {
            Video(html, item, token, ReturnTo.List, headingLevel: 3, reviewer);
        }
        if (inProgress is { Count: > 0 })
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>Being made ({inProgress.Count})</h2>\n<ul class=\"making\">\n");
            foreach (var job in inProgress)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li data-job=\"{job.Job.Id}\">{Encode(job.Job.Request.Topic)}: <span class=\"stage\">{Encode(job.Stage)}</span>");
                if (job.Percent is { } percent)
                {
                    html.Append(CultureInfo.InvariantCulture, $" <progress max=\"100\" value=\"{percent}\">{percent}%</progress>");
                }
                html.Append("</li>\n");
            }
            html.Append("</ul>\n");
        }
        if (decided.Count > 0)
        {
            html.Append("<h2>Recently decided</h2>\n<ul class=\"decided\">\n");
            foreach (var item in decided)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/review/{item.Job.Id}\">{Encode(Title(item))}</a>: ");
                html.Append(Encode(Who(item))).Append(CultureInfo.InvariantCulture, $" <span class=\"status\">({Encode(item.Job.Status)})</span></li>\n");
            }
            html.Append("</ul>\n");
        }
        return Close(html);
    }

    public static string VideoPage(ReviewItem item, FormToken token, string? notice, string? reviewer = null)
    {
        var html = new StringBuilder();
        Open(html, Title(item), notice, heading: "Review a video");
        html.Append("<p><a href=\"/review\">All videos waiting for review</a></p>\n");
        Video(html, item, token, ReturnTo.Video, headingLevel: 2, reviewer);
        return Close(html);
    }

    /// <summary>
    /// The script check: the script in an edit form (title, hook, each beat's narration and card text, call to action)
    /// and Continue. <paramref name="shown"/> is the text to fill in: the stored script, or what the person sent when it
    /// broke a rule, so nothing they typed is lost; <paramref name="problems"/> are those rules, listed above the form.
    /// </summary>
    public static string ScriptPage(ScriptReviewItem item, ScriptEdit shown, FormToken token, string? reviewer, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(shown);
        ArgumentNullException.ThrowIfNull(problems);
        var job = item.Job;
        var html = new StringBuilder();
        Open(html, $"Script: {job.Request.Topic}", null, heading: "Check the script");
        html.Append("<p><a href=\"/review\">Everything waiting for review</a></p>\n");
        html.Append("<p>").Append(Encode($"“{job.Request.Topic}” waits for you to read its script before anything is rendered. "
            + $"Edit what should change, then Continue: the video is made from the text below. Card texts are at most {ScriptReviews.MaxCardWords} words."))
            .Append("</p>\n");
        if (problems.Count > 0)
        {
            html.Append("<div role=\"alert\" class=\"problems\"><p>The script was not saved:</p><ul>\n");
            foreach (var problem in problems)
            {
                html.Append("<li>").Append(Encode(problem)).Append("</li>\n");
            }
            html.Append("</ul></div>\n");
        }
        var id = job.Id.ToString();
        html.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/review/{id}/script\" class=\"script-edit\">");
        html.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{Encode(token.FieldName)}\" value=\"{Encode(token.Value)}\">");
        html.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"generation\" value=\"{job.Generation.ToString(CultureInfo.InvariantCulture)}\">");
        html.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{ScriptForm.BeatCountField}\" value=\"{shown.Beats.Count.ToString(CultureInfo.InvariantCulture)}\">\n");
        TextField(html, "title", "Title", shown.Title, required: true);
        TextArea(html, "hook", "Hook", shown.Hook, required: true);
        html.Append("<ol class=\"beats\">\n");
        for (var i = 0; i < shown.Beats.Count; i++)
        {
            var number = (i + 1).ToString(CultureInfo.InvariantCulture);
            html.Append("<li><fieldset><legend>").Append(Encode($"Beat {number}")).Append("</legend>");
            TextArea(html, ScriptForm.Narration(i), $"Narration of beat {number}", shown.Beats[i].Narration, required: true);
            TextField(html, ScriptForm.Card(i), $"Card text of beat {number}", shown.Beats[i].CardText, required: false);
            html.Append("</fieldset></li>\n");
        }
        html.Append("</ol>\n");
        TextArea(html, "cta", "Call to action", shown.CallToAction, required: false);
        NameField(html, reviewer);
        html.Append("<button type=\"submit\">Continue</button></form>\n");
        return Close(html);
    }

    private static void TextField(StringBuilder html, string name, string label, string? value, bool required) =>
        html.Append("<p><label>").Append(Encode(label)).Append(CultureInfo.InvariantCulture,
            $" <input type=\"text\" name=\"{name}\" maxlength=\"{ScriptReviews.MaxTextLength}\"{(required ? " required" : "")} value=\"{Encode(value)}\"></label></p>\n");

    private static void TextArea(StringBuilder html, string name, string label, string? value, bool required) =>
        html.Append("<p><label>").Append(Encode(label)).Append(CultureInfo.InvariantCulture,
            $" <textarea name=\"{name}\" rows=\"2\" maxlength=\"{ScriptReviews.MaxTextLength}\"{(required ? " required" : "")}>").Append(Encode(value)).Append("</textarea></label></p>\n");

    /// <summary>The Your name field every form carries, filled with the name this browser gave last time.</summary>
    private static void NameField(StringBuilder html, string? reviewer) =>
        html.Append(CultureInfo.InvariantCulture,
            $"<label class=\"who\">Your name <input type=\"text\" name=\"{ReviewerName.Field}\" required maxlength=\"{ReviewerName.MaxLength}\" autocomplete=\"name\" value=\"{Encode(reviewer)}\"></label> ");

    public static string NotFoundPage(Guid jobId)
    {
        var html = new StringBuilder();
        Open(html, "No such video", null);
        html.Append(CultureInfo.InvariantCulture, $"<p>There is no job {jobId}. <a href=\"/review\">See the videos waiting for review.</a></p>\n");
        return Close(html);
    }

    /// <summary>A refusal shown as a page (a form the browser posted): the reason and the way back.</summary>
    public static string ErrorPage(string message, Guid jobId, string title = "Not decided", string back = "video")
    {
        var html = new StringBuilder();
        Open(html, title, null);
        html.Append("<p role=\"alert\">").Append(Encode(message)).Append("</p>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"/review/{jobId}{(back == "script" ? "/script" : "")}\">Back to the {back}</a></p>\n");
        return Close(html);
    }

    /// <summary>Where a decision form sends the reviewer back to; a fixed choice, never a URL from the request.</summary>
    public enum ReturnTo
    {
        List,
        Video,
    }

    private static void Video(StringBuilder html, ReviewItem item, FormToken token, ReturnTo returnTo, int headingLevel, string? reviewer)
    {
        var job = item.Job;
        var id = job.Id.ToString();
        html.Append(CultureInfo.InvariantCulture, $"<article class=\"video\" id=\"job-{id}\" aria-labelledby=\"title-{id}\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<h{headingLevel} id=\"title-{id}\"><a href=\"/review/{id}\">{Encode(Title(item))}</a></h{headingLevel}>\n");
        html.Append("<div class=\"layout\">\n");
        if (item.Video is not null)
        {
            var poster = item.Video.ThumbnailBlobKey is null ? "" : $" poster=\"/review/{id}/thumbnail\"";
            html.Append(CultureInfo.InvariantCulture,
                $"<video controls preload=\"metadata\" playsinline{poster} src=\"/review/{id}/video\" aria-label=\"{Encode("Video: " + Title(item))}\"></video>\n");
        }
        else
        {
            html.Append("<p class=\"novideo\">No rendered video yet.</p>\n");
        }

        html.Append("<div class=\"details\">\n<dl class=\"facts\">\n");
        Fact(html, "Topic", job.Request.Topic);
        Fact(html, "Status", job.Generation > 1 ? $"{job.Status} (version {job.Generation})" : job.Status);
        if (item.Video is not null)
        {
            Fact(html, "Duration", item.Video.DurationSeconds.ToString("0.0 's'", CultureInfo.InvariantCulture));
        }
        Fact(html, "Platforms", Platforms(job.Request.Platforms));
        Fact(html, "Scheduled", job.Request.PublishAt is { } at
            ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
            : "as soon as it is approved");
        Fact(html, "Cost so far", Core.Costs.JobCost.Display(item.CostSoFarUsd));
        html.Append("</dl>\n");

        if (item.Script is { } script)
        {
            html.Append("<section class=\"script\" aria-label=\"Script\">\n<h4>Script</h4>\n");
            html.Append("<p><strong>Hook:</strong> ").Append(Encode(script.Hook)).Append("</p>\n<ol class=\"beats\">\n");
            foreach (var beat in script.Beats)
            {
                html.Append("<li>").Append(Encode(beat.Narration)).Append("</li>\n");
            }
            html.Append("</ol>\n<p><strong>Call to action:</strong> ").Append(Encode(script.CallToAction)).Append("</p>\n</section>\n");
        }

        foreach (var decision in item.Decisions)
        {
            var older = decision.Generation != job.Generation ? $" (version {decision.Generation})" : "";
            html.Append("<p class=\"decision\">").Append(Encode(ReviewDesk.Describe(decision) + older + ".")).Append("</p>\n");
        }
        if (item.Decisions.Count == 0 && item.Applied is { } applied && !item.Awaiting)
        {
            html.Append("<p class=\"decision\">").Append(Encode($"{ReviewVerdicts.Describe(applied)}.")).Append("</p>\n");
        }
        if (job.Error is { Length: > 0 } error && job.IsTerminal)
        {
            html.Append("<p class=\"error\">").Append(Encode(error)).Append("</p>\n");
        }

        if (job.Status == JobStatus.ScriptReview)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"decision\"><a href=\"/review/{id}/script\">Check the script</a>: it waits for you before anything is rendered.</p>\n");
        }
        if (item.Awaiting && item.Current is null)
        {
            Actions(html, item, token, returnTo, reviewer);
        }
        html.Append("</div>\n</div>\n</article>\n");
    }

    private static void Actions(StringBuilder html, ReviewItem item, FormToken token, ReturnTo returnTo, string? reviewer)
    {
        var id = item.Job.Id.ToString();
        var title = Title(item);
        var hidden = $"<input type=\"hidden\" name=\"{Encode(token.FieldName)}\" value=\"{Encode(token.Value)}\">"
            + $"<input type=\"hidden\" name=\"generation\" value=\"{item.Job.Generation.ToString(CultureInfo.InvariantCulture)}\">"
            + $"<input type=\"hidden\" name=\"return\" value=\"{(returnTo == ReturnTo.List ? "list" : "video")}\">";
        var action = $"/review/{id}/decision";
        html.Append("<div class=\"actions\">\n");

        html.Append(CultureInfo.InvariantCulture,
            $"<form method=\"post\" action=\"{action}\" class=\"approve\" data-confirm=\"{Encode($"Approve and publish “{title}”?")}\">{hidden}");
        html.Append("<input type=\"hidden\" name=\"verdict\" value=\"approve\">");
        NameField(html, reviewer);
        html.Append(CultureInfo.InvariantCulture, $"<button type=\"submit\" aria-describedby=\"title-{id}\">Approve</button></form>\n");

        html.Append(CultureInfo.InvariantCulture,
            $"<form method=\"post\" action=\"{action}\" class=\"reject\" data-confirm=\"{Encode($"Reject “{title}”? It will not be published.")}\">{hidden}");
        html.Append("<input type=\"hidden\" name=\"verdict\" value=\"reject\">");
        html.Append(CultureInfo.InvariantCulture, $"<label for=\"reason-{id}\">Reason for rejecting</label> ");
        html.Append(CultureInfo.InvariantCulture,
            $"<input type=\"text\" id=\"reason-{id}\" name=\"reason\" required maxlength=\"{DecisionForm.MaxTextLength}\"> ");
        NameField(html, reviewer);
        html.Append("<button type=\"submit\">Reject</button></form>\n");

        html.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"{action}\" class=\"regenerate\">{hidden}");
        html.Append("<input type=\"hidden\" name=\"verdict\" value=\"regenerate\">");
        html.Append("<fieldset><legend>Regenerate</legend>");
        foreach (var stage in RegenerableStages)
        {
            var wire = stage.Wire();
            var check = stage == StageName.Script ? " checked" : "";
            html.Append(CultureInfo.InvariantCulture,
                $"<label><input type=\"radio\" name=\"stage\" value=\"{wire}\"{check}> {Capitalise(wire)}</label> ");
        }
        html.Append(CultureInfo.InvariantCulture, $"<label for=\"feedback-{id}\">What should change (optional)</label> ");
        html.Append(CultureInfo.InvariantCulture,
            $"<textarea id=\"feedback-{id}\" name=\"feedback\" rows=\"2\" maxlength=\"{DecisionForm.MaxTextLength}\"></textarea> ");
        NameField(html, reviewer);
        html.Append("<button type=\"submit\">Regenerate</button></fieldset></form>\n");
        html.Append("</div>\n");
    }

    private static void Fact(StringBuilder html, string name, string value) =>
        html.Append("<dt>").Append(Encode(name)).Append("</dt><dd>").Append(Encode(value)).Append("</dd>\n");

    private static string Title(ReviewItem item) =>
        item.Script?.Title is { Length: > 0 } title ? title : item.Job.Request.Topic;

    /// <summary>"Approved by Ana at …" for the list of decided videos.</summary>
    private static string Who(ReviewItem item) =>
        item.Decisions.Count > 0 ? ReviewDesk.Describe(item.Decisions[^1])
        : item.Applied is { } applied ? ReviewVerdicts.Describe(applied)
        : "decided";

    private static string Platforms(Platforms platforms) => platforms switch
    {
        Core.Jobs.Platforms.Both => "YouTube, TikTok",
        Core.Jobs.Platforms.YouTube => "YouTube",
        Core.Jobs.Platforms.TikTok => "TikTok",
        _ => "none",
    };

    private static string Capitalise(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    private static void Open(StringBuilder html, string title, string? notice, string? heading = null)
    {
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(Encode(title)).Append(" · ViralForge review</title>\n");
        html.Append("<link rel=\"stylesheet\" href=\"/review/assets/review.css\">\n");
        html.Append("<link rel=\"icon\" href=\"/review/assets/icon.svg\" type=\"image/svg+xml\">\n");
        html.Append("<script src=\"/review/assets/review.js\" defer></script>\n</head>\n<body>\n");
        html.Append("<header><p class=\"brand\"><a href=\"/review\">ViralForge review</a></p></header>\n<main>\n");
        html.Append("<h1>").Append(Encode(heading ?? title)).Append("</h1>\n");
        if (notice is not null)
        {
            html.Append("<p class=\"notice\" role=\"status\">").Append(Encode(notice)).Append("</p>\n");
        }
    }

    private static string Close(StringBuilder html) => html.Append("</main>\n</body>\n</html>\n").ToString();

    /// <summary>How often the list page asks /review/waiting what waits now.</summary>
    public const int WaitingPollMilliseconds = 5000;

    /// <summary>
    /// The page's only script: asks before Approve and Reject, stops a second submit of the same form, and keeps every
    /// Your name field on the page saying the same, so the name is typed once. On the list page it also looks at
    /// /review/waiting: it keeps the Being made stages current and says when something new waits, with a link that
    /// shows it, but never reloads by itself (the reviewer may be watching a video or typing a reason).
    /// </summary>
    public const string Script = """
        "use strict";
        document.addEventListener("input", (event) => {
          const field = event.target;
          if (field.name !== "reviewer") {
            return;
          }
          for (const other of document.querySelectorAll("input[name=reviewer]")) {
            if (other !== field) {
              other.value = field.value;
            }
          }
        });
        document.addEventListener("submit", (event) => {
          const form = event.target;
          const question = form.dataset.confirm;
          if (question && !window.confirm(question)) {
            event.preventDefault();
            return;
          }
          if (form.dataset.sent) {
            event.preventDefault();
            return;
          }
          form.dataset.sent = "1";
        });
        (() => {
          const notice = document.getElementById("waiting-notice");
          if (!notice) {
            return;
          }
          const shown = new Set((notice.dataset.shown || "").split(" ").filter(id => id));
          const look = async () => {
            let now;
            try {
              const response = await fetch("/review/waiting", { cache: "no-store" });
              if (!response.ok) {
                return;
              }
              now = await response.json();
            } catch {
              return; // the host is restarting: the next look tries again
            }
            const fresh = [...now.awaiting, ...now.scripts].filter(id => !shown.has(id)).length;
            if (fresh > 0) {
              const link = document.createElement("a");
              link.href = "/review";
              link.textContent = "Show " + (fresh === 1 ? "it" : "them");
              notice.replaceChildren(fresh + (fresh === 1 ? " more video or script waits" : " more videos or scripts wait") + " for you. ", link);
              notice.hidden = false;
            }
            for (const job of now.making) {
              const item = document.querySelector('li[data-job="' + job.id + '"]');
              const stage = item && item.querySelector(".stage");
              if (stage) {
                stage.textContent = job.stage;
              }
              const bar = item && item.querySelector("progress");
              if (bar && job.percent !== null && job.percent !== undefined) {
                bar.value = job.percent;
                bar.textContent = job.percent + "%";
              }
            }
          };
          setInterval(look, Number(notice.dataset.every) || 5000);
        })();
        """;

    /// <summary>The tab's icon (a play button), so browsers do not ask for /favicon.ico.</summary>
    public const string Icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#c2185b"/><path d="M6 4l6 4-6 4z" fill="#fff"/></svg>
        """;

    public const string Stylesheet = """
        body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1rem; line-height: 1.45; color: #1b1b1b; }
        header .brand a { font-weight: 700; text-decoration: none; color: inherit; }
        .notice { background: #eef6ee; border: 1px solid #7a7; padding: .6rem .8rem; }
        .error, [role=alert] { color: #8a1c1c; }
        article.video { border-top: 1px solid #ccc; padding: 1rem 0; }
        .layout { display: flex; gap: 1.5rem; flex-wrap: wrap; align-items: flex-start; }
        video { width: 270px; aspect-ratio: 9 / 16; background: #000; }
        .details { flex: 1; min-width: 18rem; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; }
        .actions form { margin: .6rem 0; }
        fieldset { border: 1px solid #ccc; }
        textarea { width: 100%; max-width: 30rem; display: block; }
        button { font: inherit; padding: .35rem .9rem; }
        .decision { font-weight: 600; }
        label.who { display: inline-block; margin: .3rem .6rem .3rem 0; }
        form.script-edit input[type=text], form.script-edit textarea { width: 100%; max-width: 40rem; display: block; }
        .problems { border: 1px solid #c66; padding: .4rem .8rem; }
        """;
}

namespace ViralForge.Core.Jobs;

/// <summary>
/// The stable status words of the sheet contract. Formulas in users' sheets compare against these
/// strings, so they never change.
/// </summary>
public static class JobStatus
{
    public const string Queued = "queued";
    public const string Approved = "approved";
    public const string Publishing = "publishing";
    public const string Published = "published";

    /// <summary>
    /// Uploaded with a Publish At still ahead: the pipeline's work is done (terminal), the video goes live by itself at
    /// that time, and from then on the job reads <see cref="Published"/> (<see cref="AsOf"/>).
    /// </summary>
    public const string Scheduled = "scheduled";

    public const string Rejected = "rejected";
    public const string Failed = "failed";
    public const string Invalid = "invalid";
    public const string Cancelled = "cancelled";

    /// <summary>The statuses that end a job: nothing more runs for it (SQL filters list the same words).</summary>
    public static IReadOnlyList<string> Terminal { get; } = [Published, Scheduled, Rejected, Failed, Cancelled];
    /// <summary>
    /// The script is written and waits for a person to read (and maybe edit) it before anything is rendered: the row
    /// asked for it with its Review Script cell. The job goes on from visuals when someone continues it.
    /// </summary>
    public const string ScriptReview = "script-review";

    /// <summary>While a stage runs, the status is the stage's own word (trends, analysis, ...), except publish.</summary>
    public static string ForStage(StageName stage) =>
        stage == StageName.Publish ? Publishing : stage.Wire();

    /// <summary>While a stage waits for a person: script-review after the script stage, the stage's own word (review) otherwise.</summary>
    public static string AwaitingAt(StageName stage) =>
        stage == StageName.Script ? ScriptReview : ForStage(stage);

    public static bool IsTerminal(string status) =>
        status is Published or Scheduled or Rejected or Failed or Cancelled;

    /// <summary>The status a finished publish leaves: scheduled while the row's Publish At is still ahead of <paramref name="now"/>.</summary>
    public static string AfterPublish(DateTimeOffset? publishAt, DateTimeOffset now) =>
        publishAt is { } at && at > now ? Scheduled : Published;

    /// <summary>
    /// The status as it stands at <paramref name="now"/>: a scheduled video whose time has come is published (the
    /// platform put it live; nothing of ours had to run), so readers compute it from the clock rather than wait for a write.
    /// </summary>
    public static string AsOf(Job job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Status == Scheduled ? AfterPublish(job.Request.PublishAt, now) : job.Status;
    }
}

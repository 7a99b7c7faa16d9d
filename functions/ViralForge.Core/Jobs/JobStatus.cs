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
    public const string Rejected = "rejected";
    public const string Failed = "failed";
    public const string Invalid = "invalid";
    public const string Cancelled = "cancelled";

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
        status is Published or Rejected or Failed or Cancelled;
}

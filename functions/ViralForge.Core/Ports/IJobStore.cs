using System.Text.Json;
using ViralForge.Core.Jobs;

namespace ViralForge.Core.Ports;

/// <summary>The job, found or made for a row.</summary>
public sealed record JobSubmission(Job Job, bool Created);

/// <summary>What a handler may do with a stage run it was asked to execute.</summary>
public enum ClaimResult
{
    /// <summary>This attempt holds the run and should do the work.</summary>
    Claimed,

    /// <summary>An earlier delivery finished it: only re-enqueue the next stage.</summary>
    AlreadyCompleted,

    /// <summary>Done and waiting for a person's decision.</summary>
    AwaitingApproval,

    /// <summary>Another attempt holds a live lease on it: retry later.</summary>
    Busy,
}

/// <summary>The claim result with the run as it now stands.</summary>
public sealed record StageClaim(ClaimResult Result, StageRun Run);

/// <summary>Everything a finished stage commits in one transaction.</summary>
public sealed record StageCompletion(
    Guid JobId,
    StageName Stage,
    int Generation,
    JsonElement Output,
    IReadOnlyList<Asset> Assets,
    string JobStatus,
    string Message);

/// <summary>Where a page of <see cref="IJobStore.ListPageAsync"/> starts: after the job with this creation time and id.</summary>
public sealed record JobPageCursor(DateTimeOffset CreatedAt, Guid Id);

/// <summary>
/// One page of jobs, newest first by (created time, id): of one sheet when <paramref name="SheetId"/> is set, with one of
/// <paramref name="Statuses"/> when set (stored status words), strictly after <paramref name="After"/>, at most <paramref name="Limit"/>.
/// </summary>
public sealed record JobPageQuery(string? SheetId, IReadOnlyList<string>? Statuses, JobPageCursor? After, int Limit);

/// <summary>Jobs, stage runs, assets and events: PostgreSQL in every profile.</summary>
public interface IJobStore
{
    /// <summary>Creates the job for a row, or returns the one an unchanged row already has.</summary>
    Task<JobSubmission> SubmitAsync(string sheetId, string rowHash, VideoRequest request, CancellationToken cancellationToken);

    Task<Job?> GetAsync(Guid jobId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Job>> ListBySheetAsync(string sheetId, CancellationToken cancellationToken);

    /// <summary>
    /// A page of jobs, newest first (the Jobs API's list). Paging by the last job's (created time, id) rather than an
    /// offset, jobs made while a client pages land before its first page, so it sees every older job once.
    /// </summary>
    Task<IReadOnlyList<Job>> ListPageAsync(JobPageQuery query, CancellationToken cancellationToken);

    /// <summary>Jobs not yet ended whose current stage is <paramref name="stage"/>, least recently updated first.</summary>
    Task<IReadOnlyList<Job>> ListAtStageAsync(StageName stage, CancellationToken cancellationToken);

    /// <summary>Jobs with a completed run of <paramref name="stage"/>, the most recently completed first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Job>> ListRecentlyCompletedAsync(StageName stage, int limit, CancellationToken cancellationToken);

    /// <summary>Records the run with INSERT ... ON CONFLICT, or takes over one whose lease expired.</summary>
    Task<StageClaim> ClaimStageAsync(Guid jobId, StageName stage, int generation, TimeSpan lease, CancellationToken cancellationToken);

    Task RenewStageLeaseAsync(Guid jobId, StageName stage, int generation, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Records how far a running run's attempt has got (0 to 100); a run that is no longer running is left alone. A new
    /// attempt's claim clears it. Callers bound how often they write (<see cref="Stages.ProgressReporter"/>).
    /// </summary>
    Task SetStageProgressAsync(Guid jobId, StageName stage, int generation, int percent, CancellationToken cancellationToken);

    /// <summary>The percent done of a running run, null when it is not running or has reported nothing yet.</summary>
    Task<int?> GetStageProgressAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken);

    /// <summary>Stores the output and assets, marks the run completed and moves the job on, atomically.</summary>
    Task CompleteStageAsync(StageCompletion completion, CancellationToken cancellationToken);

    /// <summary>
    /// Completes a run that waits for a person, as <see cref="CompleteStageAsync"/> does, only if it still waits: of two
    /// people (or one double click) continuing it at once, one writes its output and the other is told false.
    /// </summary>
    Task<bool> CompleteAwaitingStageAsync(StageCompletion completion, CancellationToken cancellationToken);

    Task AwaitApprovalAsync(Guid jobId, StageName stage, int generation, JsonElement output, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt and releases the run so that the next delivery can claim it.</summary>
    Task FailStageAttemptAsync(Guid jobId, StageName stage, int generation, string error, CancellationToken cancellationToken);

    /// <summary>The newest completed run of a stage at or below a generation (earlier outputs are reused after Regenerate).</summary>
    Task<StageRun?> GetLatestCompletedAsync(Guid jobId, StageName stage, int maxGeneration, CancellationToken cancellationToken);

    Task<IReadOnlyList<StageRun>> ListStageRunsAsync(Guid jobId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Asset>> ListAssetsAsync(Guid jobId, CancellationToken cancellationToken);

    /// <summary>Sets a non-terminal status; a job already in a terminal state is left alone.</summary>
    Task SetStatusAsync(Guid jobId, string status, StageName? stage, CancellationToken cancellationToken);

    /// <summary>Moves the job to a terminal state once; false when it already was terminal.</summary>
    Task<bool> FinishAsync(Guid jobId, string terminalStatus, string? error, CancellationToken cancellationToken);

    Task MarkCompensatedAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken);

    /// <summary>
    /// Starts generation <paramref name="fromGeneration"/> + 1 (Regenerate) unless the job already moved past
    /// <paramref name="fromGeneration"/>, so a repeated or concurrent bump starts it once; returns the job's generation after.
    /// </summary>
    Task<int> BumpGenerationAsync(Guid jobId, int fromGeneration, CancellationToken cancellationToken);

    /// <summary>
    /// Moves scheduled jobs whose Publish At has come (at or before <paramref name="now"/>) to published, each once, with a
    /// "published" event; returns the ids it moved, at most <paramref name="limit"/>. Readers already show such a job as
    /// published (<see cref="JobStatus.AsOf"/>); this makes the store and the row's cell say so too.
    /// </summary>
    Task<IReadOnlyList<Guid>> GoLiveAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    Task AppendEventAsync(Guid jobId, string kind, StageName? stage, string message, CancellationToken cancellationToken);

    Task<IReadOnlyList<JobEvent>> ListEventsAsync(Guid jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Jobs the reconcile step should look at: not ended, unchanged since <paramref name="unchangedSince"/>, with no run of
    /// their generation awaiting approval or held by a live lease; least recently changed first, at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<Job>> ListIdleAsync(DateTimeOffset unchangedSince, int limit, CancellationToken cancellationToken);

    /// <summary>When the attempt holding the run lets go of it; null when none holds it (or there is no run).</summary>
    Task<DateTimeOffset?> GetStageLeaseAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken);

    /// <summary>How many times the reconcile step put this stage of this generation back on its queue (0: never).</summary>
    Task<int> GetReconcileCountAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the reconcile count from <paramref name="seen"/> to one more, in one statement; false when another
    /// reconciler moved it first, or moved it after <paramref name="lastClaimBefore"/> (its task may not be visible yet), so
    /// of several that saw the same stalled job one acts, once per grace period.
    /// </summary>
    Task<bool> ClaimReconcileAsync(Guid jobId, StageName stage, int generation, int seen, DateTimeOffset lastClaimBefore, CancellationToken cancellationToken);
}

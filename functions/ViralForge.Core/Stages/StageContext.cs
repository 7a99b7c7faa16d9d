using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;

namespace ViralForge.Core.Stages;

/// <summary>What a stage sees while it runs: its job, earlier stages' outputs, a scratch folder and the blob store.</summary>
public sealed class StageContext(Job job, StageName stage, int generation, string workFolder, IJobStore store, IBlobStore blobs, StageProgress? progress = null)
{
    /// <summary>Where a long-running tool reports how far it has got; the attempt's lease renews only while that advances.</summary>
    public StageProgress Progress { get; } = progress ?? new StageProgress(TimeProvider.System);

    public Job Job { get; } = job;

    public StageName Stage { get; } = stage;

    public int Generation { get; } = generation;

    /// <summary>A scratch folder for this attempt only; deleted when the attempt ends.</summary>
    public string WorkFolder { get; } = workFolder;

    public VideoRequest Request => Job.Request;

    /// <summary>The blob key for a file this stage produces; generation-scoped so that Regenerate never overwrites.</summary>
    public string BlobKey(string fileName) => BlobKeys.For(Job.Id, Stage, Generation, fileName);

    public string LocalPath(string fileName) => Path.Combine(WorkFolder, fileName);

    /// <summary>The output of an earlier stage (the newest at or below this generation).</summary>
    public async Task<T> GetOutputAsync<T>(StageName earlier, CancellationToken cancellationToken)
    {
        var run = await store.GetLatestCompletedAsync(Job.Id, earlier, Generation, cancellationToken)
            ?? throw new InvalidOperationException($"Stage {earlier.Wire()} has no completed output for job {Job.Id}.");
        return StageJson.FromElement<T>(run.Output ?? throw new InvalidDataException($"Stage {earlier.Wire()} stored no output."));
    }

    /// <summary>
    /// What the reviewer asked to change when they regenerated the previous generation, which started this one;
    /// null for a first generation or a regenerate without feedback.
    /// </summary>
    public async Task<string?> GetReviewerFeedbackAsync(CancellationToken cancellationToken)
    {
        if (Generation <= 1)
        {
            return null;
        }
        var review = await store.GetLatestCompletedAsync(Job.Id, StageName.Review, Generation - 1, cancellationToken);
        if (review is not { Output: { } output } || review.Generation != Generation - 1)
        {
            return null;
        }
        var decision = StageJson.FromElement<ReviewOutput>(output);
        return ReviewVerdicts.TryParse(decision.Verdict, out var verdict) && verdict == ReviewVerdict.Regenerate && !string.IsNullOrWhiteSpace(decision.Feedback) ? decision.Feedback : null;
    }

    /// <summary>The reviewer's feedback that started this generation, read into what it asks of the stages; null when there is none.</summary>
    public async Task<ReviewerFeedback?> GetFeedbackAsync(CancellationToken cancellationToken) =>
        await GetReviewerFeedbackAsync(cancellationToken) is { } text ? ReviewerFeedback.Parse(text) : null;

    /// <summary>The job event kind of a <see cref="NoteAsync"/>; <see cref="Sheets.SheetStatusWriter"/> shows these in the row's Error cell.</summary>
    public const string NoteEventKind = "note";

    /// <summary>
    /// Records that the job does less than its row asks (a provider without the row's language, say), as a job event the
    /// row's Error cell shows without failing the row. A redelivered attempt may record the same note again; readers
    /// show each distinct note once.
    /// </summary>
    public async Task NoteAsync(IReadOnlyList<string>? notes, CancellationToken cancellationToken)
    {
        foreach (var note in notes ?? [])
        {
            await store.AppendEventAsync(Job.Id, NoteEventKind, Stage, note, cancellationToken);
        }
    }

    /// <summary>Whether the blob store holds the key (a file a row names, such as its watermark image).</summary>
    public Task<bool> BlobExistsAsync(string blobKey, CancellationToken cancellationToken) => blobs.ExistsAsync(blobKey, cancellationToken);

    /// <summary>Copies a blob into the scratch folder and returns its local path.</summary>
    public async Task<string> FetchAsync(string blobKey, CancellationToken cancellationToken)
    {
        var path = LocalPath(Path.GetFileName(blobKey));
        await blobs.DownloadToFileAsync(blobKey, path, cancellationToken);
        return path;
    }
}

/// <summary>Blob key layout: jobs/{job}/{stage}/g{generation}/{file}.</summary>
public static class BlobKeys
{
    public static string JobPrefix(Guid jobId) => $"jobs/{jobId:N}/";

    public static string For(Guid jobId, StageName stage, int generation, string fileName) =>
        $"{JobPrefix(jobId)}{stage.Wire()}/g{generation}/{fileName}";
}

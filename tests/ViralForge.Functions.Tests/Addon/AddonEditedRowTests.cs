using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Functions.Tests.Addon;

/// <summary>
/// POST /jobs with each row's Job ID cell ("jobId"): an edited row cancels the job it replaces, as CSV intake does,
/// but only a running job of the same sheet; a Job ID cell that is not a job id is that row's error.
/// </summary>
public sealed class AddonEditedRowTests
{
    private const string Sourdough = "Three tips for sourdough";

    private static string SheetId => $"gsheet:{AddonHost.SpreadsheetId}/Ideas";

    [Fact]
    public async Task An_edited_row_makes_a_new_job_and_its_old_job_ends_cancelled_with_its_compensations()
    {
        await using var addon = await AddonHost.StartAsync();
        var store = addon.Host.Get<IJobStore>();
        var old = await SubmitOneAsync(addon, AddonHost.Batch([(5, Sourdough, "30")]));
        // The old job is under way: five stages done, their clips and narration stored.
        foreach (var stage in new[] { StageName.Trends, StageName.Analysis, StageName.Script, StageName.Visuals, StageName.Voice })
        {
            await RunStageAsync(addon, stage, old);
        }
        Assert.Equal(5, (await store.ListStageRunsAsync(old, CancellationToken.None)).Count(r => r.Status == StageRunStatus.Completed));
        var blobs = Path.Combine(addon.Host.Folder.Path, "blobs", BlobKeys.JobPrefix(old));
        Assert.True(Directory.Exists(blobs));

        // The person changed the Topic; the row still holds the old Job ID.
        var (response, body) = await addon.SubmitAsync(WithJobIds(AddonHost.Batch([(5, "Four tips for sourdough", "30")]), old.ToString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = body!["results"]![0]!;
        Assert.True((bool)result["created"]!);
        var replacement = Guid.Parse((string)result["jobId"]!);
        Assert.NotEqual(old, replacement);
        Assert.Equal("queued", (string)result["status"]!);
        var ended = (await store.GetAsync(old, CancellationToken.None))!;
        Assert.Equal(JobStatus.Cancelled, ended.Status);
        Assert.Equal($"row 5 was edited; replaced by job {replacement}", ended.Error);
        var undone = (await store.ListEventsAsync(old, CancellationToken.None)).Where(e => e.Kind == "compensated").Select(e => e.Stage!.Value).ToList();
        Assert.Equal([StageName.Voice, StageName.Visuals, StageName.Script, StageName.Analysis, StageName.Trends], undone);
        Assert.All(await store.ListStageRunsAsync(old, CancellationToken.None), r => Assert.NotNull(r.CompensatedAt));
        Assert.False(Directory.Exists(blobs), "the old job's blobs should be deleted");

        // The old job's next stage, still in the queue, does nothing now: it cannot go on to publish.
        await RunStageAsync(addon, StageName.Render, old);
        Assert.DoesNotContain(await store.ListStageRunsAsync(old, CancellationToken.None), r => r.Stage == StageName.Render);
        Assert.Equal(JobStatus.Queued, (await store.GetAsync(replacement, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task An_unchanged_row_sent_with_its_job_id_answers_the_same_job()
    {
        await using var addon = await AddonHost.StartAsync();
        var batch = AddonHost.Batch([(5, Sourdough, "30")]);
        var jobId = await SubmitOneAsync(addon, batch);

        var (response, body) = await addon.SubmitAsync(WithJobIds(batch, $"  {jobId.ToString().ToUpperInvariant()} "));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = body!["results"]![0]!;
        Assert.Equal(jobId, Guid.Parse((string)result["jobId"]!));
        Assert.False((bool)result["created"]!);
        Assert.Equal("queued", (string)result["status"]!);
        var store = addon.Host.Get<IJobStore>();
        Assert.Equal(JobStatus.Queued, (await store.GetAsync(jobId, CancellationToken.None))!.Status);
        Assert.Single(await store.ListBySheetAsync(SheetId, CancellationToken.None));
    }

    [Theory]
    [InlineData("Other", AddonHost.SpreadsheetId)]
    [InlineData("Ideas", "1ZyXwVuTsRqPoNmLkJiHgFeDcBa0987654321abcdEFGH")]
    public async Task A_job_id_from_another_sheet_is_not_cancelled(string otherTab, string otherSpreadsheet)
    {
        await using var addon = await AddonHost.StartAsync();
        var store = addon.Host.Get<IJobStore>();
        var theirs = await SubmitOneAsync(addon, InSpreadsheet(AddonHost.Batch([(5, Sourdough, "30")], sheetName: otherTab), otherSpreadsheet));
        Assert.NotEqual(SheetId, (await store.GetAsync(theirs, CancellationToken.None))!.SheetId);

        // Someone copied that row, Job ID and all, into Ideas and changed its Topic.
        var (response, body) = await addon.SubmitAsync(WithJobIds(AddonHost.Batch([(5, "Four tips for sourdough", "30")]), theirs.ToString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((bool)body!["results"]![0]!["created"]!);
        var job = (await store.GetAsync(theirs, CancellationToken.None))!;
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Null(job.Error);
        Assert.DoesNotContain(await store.ListEventsAsync(theirs, CancellationToken.None), e => e.Kind == JobStatus.Cancelled);
    }

    [Fact]
    public async Task An_edited_row_whose_old_job_has_ended_leaves_that_job_as_it_is()
    {
        await using var addon = await AddonHost.StartAsync();
        var store = addon.Host.Get<IJobStore>();
        var old = await SubmitOneAsync(addon, AddonHost.Batch([(5, Sourdough, "30")]));
        await RunStageAsync(addon, StageName.Trends, old);
        // Stands in for a job that went all the way: editing its row afterwards must not undo what it published.
        Assert.True(await store.FinishAsync(old, JobStatus.Published, null, CancellationToken.None));

        var (response, body) = await addon.SubmitAsync(WithJobIds(AddonHost.Batch([(5, "Four tips for sourdough", "30")]), old.ToString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((bool)body!["results"]![0]!["created"]!);
        Assert.Equal(JobStatus.Published, (await store.GetAsync(old, CancellationToken.None))!.Status);
        Assert.All(await store.ListStageRunsAsync(old, CancellationToken.None), r => Assert.Null(r.CompensatedAt));
        Assert.DoesNotContain(await store.ListEventsAsync(old, CancellationToken.None), e => e.Kind == "compensated");
    }

    [Fact]
    public async Task A_job_id_that_names_no_job_is_ignored_and_the_row_goes_on()
    {
        await using var addon = await AddonHost.StartAsync();

        var (response, body) = await addon.SubmitAsync(WithJobIds(AddonHost.Batch([(5, Sourdough, "30")]), Guid.NewGuid().ToString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((bool)body!["results"]![0]!["created"]!);
        Assert.Equal("queued", (string)body["results"]![0]!["status"]!);
    }

    [Fact]
    public async Task A_job_id_cell_that_is_not_a_job_id_is_that_rows_error_while_the_other_rows_go_on()
    {
        await using var addon = await AddonHost.StartAsync();
        var batch = JsonNode.Parse(AddonHost.Batch([(5, Sourdough, "30"), (6, "Why cats sleep so much", "30"), (7, "Crispy roast potatoes", "30"), (8, "", "30")]))!;
        var rows = batch["rows"]!.AsArray();
        rows[0]!["jobId"] = "not-a-job";
        rows[1]!["jobId"] = null;
        rows[2]!["jobId"] = 42;
        rows[3]!["jobId"] = "   ";

        var (response, body) = await addon.SubmitAsync(batch.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = body!["results"]!.AsArray();
        Assert.Equal([5, 6, 7, 8], results.Select(r => (int)r!["rowNumber"]!));
        Assert.Equal(["invalid", "queued", "invalid", "invalid"], results.Select(r => (string)r!["status"]!));
        Assert.Equal(
            "Job ID \"not-a-job\" is not a ViralForge job id; clear the Job ID cell (or put back the id ViralForge wrote) and submit the row again.",
            (string)results[0]!["error"]!);
        Assert.Null(results[0]!["jobId"]);
        Assert.StartsWith("Job ID \"42\" is not a ViralForge job id", (string)results[2]!["error"]!, StringComparison.Ordinal);
        // A blank Job ID is no Job ID: the row is judged on its cells alone.
        Assert.Equal("Topic is required", (string)results[3]!["error"]!);
        Assert.Single(await addon.Host.Get<IJobStore>().ListBySheetAsync(SheetId, CancellationToken.None));
    }

    private static async Task<Guid> SubmitOneAsync(AddonHost addon, string batch)
    {
        var (response, body) = await addon.SubmitAsync(batch);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Guid.Parse((string)body!["results"]![0]!["jobId"]!);
    }

    /// <summary>The batch with each row's "jobId" set, in order.</summary>
    private static string WithJobIds(string batch, params string?[] jobIds)
    {
        var body = JsonNode.Parse(batch)!;
        var rows = body["rows"]!.AsArray();
        for (var i = 0; i < jobIds.Length; i++)
        {
            rows[i]!["jobId"] = jobIds[i];
        }
        return body.ToJsonString();
    }

    private static string InSpreadsheet(string batch, string spreadsheetId)
    {
        var body = JsonNode.Parse(batch)!;
        body["spreadsheetId"] = spreadsheetId;
        return body.ToJsonString();
    }

    /// <summary>Delivers a stage's task as the local queue does (the host runs with no dispatcher here).</summary>
    private static async Task RunStageAsync(AddonHost addon, StageName stage, Guid jobId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, StageTasks.PathFor(stage))
        {
            Content = new StringContent($$"""{"jobId":"{{jobId}}","generation":1}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.Token);
        using var response = await addon.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

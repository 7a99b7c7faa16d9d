using System.Net;
using System.Text.Json.Nodes;
using ViralForge.Core.Jobs;

namespace ViralForge.Functions.Tests.Addon;

/// <summary>POST /jobs/status: what the sheet's formula functions show, for ids found, unknown or malformed.</summary>
public sealed class AddonStatusTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Found_unknown_and_malformed_ids_each_get_an_answer_in_order()
    {
        await using var addon = await AddonHost.StartAsync();
        var (_, submitted) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three tips for sourdough", "30")]));
        var jobId = (string)submitted!["results"]![0]!["jobId"]!;
        var unknown = Guid.NewGuid().ToString();
        var key = await addon.IssueKeyAsync();

        var (response, body) = await addon.SendAsync(HttpMethod.Post, "/jobs/status", key,
            new JsonObject { ["jobIds"] = new JsonArray(jobId, unknown, "not-a-job", "", null) }.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jobs = body!["jobs"]!.AsArray();
        Assert.Equal(5, jobs.Count);

        Assert.Equal(jobId, (string)jobs[0]!["jobId"]!);
        Assert.True((bool)jobs[0]!["found"]!);
        Assert.Equal("queued", (string)jobs[0]!["status"]!);
        Assert.Null(jobs[0]!["video"]);
        Assert.Null(jobs[0]!["publishedUrl"]);
        Assert.Null(jobs[0]!["error"]);

        Assert.Equal(unknown, (string)jobs[1]!["jobId"]!);
        Assert.False((bool)jobs[1]!["found"]!);
        Assert.Null(jobs[1]!["status"]);
        Assert.Equal("No job with this id.", (string)jobs[1]!["error"]!);

        Assert.Equal("not-a-job", (string)jobs[2]!["jobId"]!);
        Assert.False((bool)jobs[2]!["found"]!);
        Assert.Equal("\"not-a-job\" is not a job id.", (string)jobs[2]!["error"]!);
        Assert.Equal("The Job ID cell is empty.", (string)jobs[3]!["error"]!);
        Assert.Equal("The Job ID cell is empty.", (string)jobs[4]!["error"]!);
        // Every member the contract names is present, null or not.
        Assert.Equal(["jobId", "found", "status", "stage", "video", "preview", "publishedUrl", "error"], jobs[1]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Too_many_ids_are_refused_with_the_limit()
    {
        await using var addon = await AddonHost.StartAsync();
        var key = await addon.IssueKeyAsync();
        var ids = new JsonArray([.. Enumerable.Range(0, 501).Select(_ => (JsonNode)Guid.NewGuid().ToString())]);

        var (response, body) = await addon.SendAsync(HttpMethod.Post, "/jobs/status", key, new JsonObject { ["jobIds"] = ids }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The request has 501 job ids; at most 500 are allowed in one request.", (string)body!["detail"]!);
    }

    [Theory]
    [InlineData("{\"jobIds\": ", "not the JSON expected")]
    [InlineData("{}", "jobIds is missing")]
    [InlineData("{\"jobIds\": \"6a1f\"}", "not the JSON expected")]
    public async Task A_malformed_status_request_is_400(string json, string expected)
    {
        await using var addon = await AddonHost.StartAsync();
        var key = await addon.IssueKeyAsync();

        var (response, body) = await addon.SendAsync(HttpMethod.Post, "/jobs/status", key, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (string)body!["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_pipeline_ran_to_the_end_the_status_shows_published_and_the_video()
    {
        await using var addon = await AddonHost.StartAsync(dispatch: true);
        var (_, submitted) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three stretches for desk workers", "10")]));
        var jobId = Guid.Parse((string)submitted!["results"]![0]!["jobId"]!);
        var key = await addon.IssueKeyAsync();

        var done = await addon.Host.WaitForJobsAsync([jobId], j => j.IsTerminal, Patience);
        var (response, body) = await addon.SendAsync(HttpMethod.Post, "/jobs/status", key, $$"""{"jobIds": ["{{jobId}}"]}""");

        Assert.Equal(JobStatus.Published, Assert.Single(done).Status);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var job = body!["jobs"]![0]!;
        Assert.True((bool)job["found"]!);
        Assert.Equal("published", (string)job["status"]!);
        Assert.Equal("publish", (string)job["stage"]!);
        Assert.Null(job["error"]);
        // Locally the published video is a file in the published folder; the sheet shows its path.
        var video = (string)job["video"]!;
        Assert.True(File.Exists(video), $"video '{video}' is not a file");
        Assert.False(string.IsNullOrEmpty((string?)job["publishedUrl"]));
        Assert.False(string.IsNullOrEmpty((string?)job["preview"]));
    }
}

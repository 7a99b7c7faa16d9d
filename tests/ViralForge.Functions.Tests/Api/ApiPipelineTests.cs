using System.Net;
using ViralForge.Core.Jobs;

namespace ViralForge.Functions.Tests.Api;

/// <summary>A job made through the API runs the whole local pipeline, though it has no spreadsheet to write status to.</summary>
public sealed class ApiPipelineTests
{
    [Fact]
    public async Task A_job_made_through_the_api_ends_published_and_reads_with_its_video_and_history()
    {
        await using var api = await ApiHost.StartAsync(new Dictionary<string, string?> { ["ViralForge:Review:Mode"] = "auto" }, dispatch: true);
        var key = await api.KeyAsync();

        var created = await api.SendAsync(HttpMethod.Post, "/v1/jobs", key, """{ "sheet": "e2e", "rows": [{ "topic": "Three stretches for desk workers", "duration": 10 }] }""");
        var id = ApiHost.Ids(created)[0];
        // Generous: every stage, ffmpeg included, on a loaded 2-core CI machine.
        var job = Assert.Single(await api.Host.WaitForJobsAsync([id], j => j.IsTerminal, TimeSpan.FromMinutes(5)));
        var detail = await api.SendAsync(HttpMethod.Get, $"/v1/jobs/{id}", key);
        var published = await api.SendAsync(HttpMethod.Get, "/v1/jobs?sheet=api:e2e&status=published", key);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.True(job.Status == JobStatus.Published, $"{job.Status}: {job.Error}");
        Assert.Equal(HttpStatusCode.OK, detail.Status);
        Assert.Equal("published", (string)detail.Body!["job"]!["status"]!);
        var video = (string)detail.Body["video"]!;
        Assert.True(File.Exists(video), $"the video '{video}' is not a file");
        var events = detail.Body["events"]!.AsArray().Select(e => ((string)e!["kind"]!, (string?)e["stage"])).ToList();
        Assert.Equal(("submitted", null), events[0]);
        Assert.Equal(StageOrder.InOrder.Select(s => s.Wire()), events.Where(e => e.Item1 == "completed").Select(e => e.Item2));
        Assert.Equal(id.ToString(), (string)Assert.Single(published.Body!["jobs"]!.AsArray())!["id"]!);
    }
}

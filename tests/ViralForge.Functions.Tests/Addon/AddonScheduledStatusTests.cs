using System.Net;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Functions.Tests.Addon;

/// <summary>POST /jobs/status answers what the row's cells say: scheduled with its go-live time, and a long stage's percent.</summary>
public sealed class AddonScheduledStatusTests
{
    [Fact]
    public async Task A_video_scheduled_for_tomorrow_is_scheduled_with_the_time_until_it_is_live()
    {
        await using var addon = await AddonHost.StartAsync();
        var store = addon.Host.Get<IJobStore>();
        var publishAt = TimeProvider.System.GetUtcNow().AddHours(20.2);
        var request = new VideoRequest("Desk stretches", Platforms.YouTube, 30, "clean", "default", "en", publishAt, [], "");
        var job = (await store.SubmitAsync("status-scheduled.csv", Guid.NewGuid().ToString("N"), request, CancellationToken.None)).Job;
        await store.ClaimStageAsync(job.Id, StageName.Publish, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        var output = StageJson.ToElement(new PublishOutput([new PublishedVideo("youtube", "https://youtu.be/abc", "abc")]));
        await store.CompleteStageAsync(new StageCompletion(job.Id, StageName.Publish, 1, output, [], JobStatus.Scheduled, "scheduled"), CancellationToken.None);
        var key = await addon.IssueKeyAsync();

        var (response, body) = await addon.SendAsync(HttpMethod.Post, "/jobs/status", key, $$"""{"jobIds": ["{{job.Id}}"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = body!["jobs"]![0]!;
        Assert.Equal("scheduled", (string)answer["status"]!);
        Assert.Equal($"live {publishAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC (in 20 h)", (string)answer["stage"]!);
        Assert.Equal("https://youtu.be/abc", (string)answer["video"]!);
    }

    [Fact]
    public async Task A_rendering_job_answers_its_percent_in_the_stage()
    {
        await using var addon = await AddonHost.StartAsync();
        var store = addon.Host.Get<IJobStore>();
        var request = new VideoRequest("Desk stretches", Platforms.YouTube, 30, "clean", "default", "en", null, [], "");
        var job = (await store.SubmitAsync("status-render.csv", Guid.NewGuid().ToString("N"), request, CancellationToken.None)).Job;
        await store.ClaimStageAsync(job.Id, StageName.Render, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.SetStatusAsync(job.Id, JobStatus.ForStage(StageName.Render), StageName.Render, CancellationToken.None);
        await store.SetStageProgressAsync(job.Id, StageName.Render, 1, 45, CancellationToken.None);
        var key = await addon.IssueKeyAsync();

        var (_, body) = await addon.SendAsync(HttpMethod.Post, "/jobs/status", key, $$"""{"jobIds": ["{{job.Id}}"]}""");

        var answer = body!["jobs"]![0]!;
        Assert.Equal("render", (string)answer["status"]!);
        Assert.Equal("render 45%", (string)answer["stage"]!);
    }
}

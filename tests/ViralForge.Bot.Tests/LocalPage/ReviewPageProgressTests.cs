using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Bot.Tests.LocalPage;

/// <summary>The review page's list shows the jobs still being made, with a long stage's percent done.</summary>
public sealed class ReviewPageProgressTests
{
    [Fact]
    public async Task A_rendering_job_is_listed_with_its_percent_done()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var store = host.Get<IJobStore>();
        var request = new VideoRequest("Five breathing tricks", Platforms.YouTube, 30, "clean", "default", "en", null, [], "");
        var job = (await store.SubmitAsync("page-progress.csv", Guid.NewGuid().ToString("N"), request, CancellationToken.None)).Job;
        await store.ClaimStageAsync(job.Id, StageName.Render, 1, TimeSpan.FromMinutes(5), CancellationToken.None);
        await store.SetStatusAsync(job.Id, JobStatus.ForStage(StageName.Render), StageName.Render, CancellationToken.None);
        await store.SetStageProgressAsync(job.Id, StageName.Render, 1, 45, CancellationToken.None);

        var (html, _) = await host.OpenAsync("/review");

        Assert.Contains("Being made (1)", html);
        Assert.Contains($"<li data-job=\"{job.Id}\">Five breathing tricks: <span class=\"stage\">render 45%</span> <progress max=\"100\" value=\"45\">45%</progress></li>", html);
    }

    [Fact]
    public async Task Nothing_being_made_shows_no_such_list()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);

        var (html, _) = await host.OpenAsync("/review");

        Assert.DoesNotContain("Being made", html);
    }
}

using System.Net;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Bot.Tests.LocalPage;

namespace ViralForge.Bot.Tests.Dashboard;

/// <summary>Regenerate from the dashboard decides through the review desk, once, as the review page does.</summary>
public sealed class DashboardRegenerateTests
{
    [Fact]
    public async Task Regenerate_from_the_job_page_is_one_decision_through_the_review_desk()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();
        var (html, token) = await host.OpenAsync($"/job/{job.Id}");
        Assert.Contains("Regenerate", html, StringComparison.Ordinal);
        Assert.NotNull(token);
        var fields = new Dictionary<string, string> { ["generation"] = "1", ["stage"] = "voice", ["feedback"] = "slower please" };

        using (var response = await host.PostFormAsync($"/job/{job.Id}/regenerate", fields, token))
        {
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
            Assert.Equal($"/job/{job.Id}?done=regenerate", response.Headers.Location!.OriginalString);
        }
        var decision = await host.Get<IReviewLedger>().GetDecisionAsync(job.Id, 1, CancellationToken.None);
        Assert.NotNull(decision);
        Assert.Equal(ReviewVerdict.Regenerate, decision.Verdict);
        Assert.Equal(StageName.Voice, decision.RegenerateStage);
        Assert.Equal("slower please", decision.Feedback);
        Assert.Equal("dashboard:local", decision.ReviewerId);
        Assert.Equal("dashboard", decision.Surface);
        Assert.Equal(1, await host.Bot.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = @queue", ("queue", ReviewDesk.DecisionQueue)));

        using var again = await host.PostFormAsync($"/job/{job.Id}/regenerate", fields, token);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Already decided", WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        using var review = await host.PostFormAsync($"/job/{job.Id}/regenerate", new Dictionary<string, string>(fields) { ["stage"] = "publish" }, token);
        Assert.Equal(HttpStatusCode.Conflict, review.StatusCode);
    }
}

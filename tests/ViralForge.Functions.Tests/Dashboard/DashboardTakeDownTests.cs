using System.Net;
using System.Text.RegularExpressions;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Testing;

namespace ViralForge.Functions.Tests.Dashboard;

/// <summary>Take down, end to end: a video the local pipeline published (auto review) is taken down from the job's page.</summary>
public sealed partial class DashboardTakeDownTests
{
    [Fact]
    public async Task A_published_video_is_taken_down_once_through_the_publish_compensation()
    {
        await using var host = await TestHost.StartAsync();
        var sheet = host.Get<ISheetRegistry>().Open(TestSheets.WriteOneRow(host.Folder.File("sheet.csv"), "Three stretches for desk workers", 10, ""));
        var job = Assert.Single(await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None)).JobId!.Value;
        var published = Assert.Single(await host.WaitForJobsAsync([job], j => j.IsTerminal, TimeSpan.FromMinutes(4)));
        Assert.Equal(JobStatus.Published, published.Status);
        var publishRun = (await host.Get<IJobStore>().ListStageRunsAsync(job, CancellationToken.None)).Single(r => r.Stage == StageName.Publish);
        var video = Core.Stages.StageJson.FromElement<Core.Stages.PublishOutput>(publishRun.Output!.Value).Videos[0];
        var file = new Uri(video.Url);
        Assert.True(file.IsFile && File.Exists(file.LocalPath), $"the offline publisher put the video at {video.Url}");

        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.Client.BaseAddress };
        var page = await client.GetStringAsync($"/job/{job}");
        Assert.Contains("Take down", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Cancel job", page, StringComparison.Ordinal);
        var token = WebUtility.HtmlDecode(FormToken().Match(page).Groups[1].Value);

        async Task<HttpResponseMessage> TakeDownAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/job/{job}/takedown")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["generation"] = "1", ["__RequestVerificationToken"] = token }),
            };
            request.Headers.TryAddWithoutValidation("Origin", host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority));
            return await client.SendAsync(request);
        }

        using (var response = await TakeDownAsync())
        {
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        }
        var ended = await host.Get<IJobStore>().GetAsync(job, CancellationToken.None);
        Assert.Equal(JobStatus.Cancelled, ended!.Status);
        Assert.Equal("taken down by local from the dashboard", ended.Error);
        Assert.False(File.Exists(file.LocalPath), "the published copy is deleted");
        var events = await host.Get<IJobStore>().ListEventsAsync(job, CancellationToken.None);
        Assert.Single(events, e => e.Kind == "taken_down");
        Assert.Single(events, e => e.Kind == "compensated" && e.Stage == StageName.Publish);

        // A second click (or a stale tab) changes nothing more.
        using (var again = await TakeDownAsync())
        {
            Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        }
        var after = await host.Get<IJobStore>().ListEventsAsync(job, CancellationToken.None);
        Assert.Equal(events.Count, after.Count);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}

using System.Collections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ViralForge.Adapters.Google;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.RenderJob;
using ViralForge.Testing;
using ViralForge.Functions.Tests.Simulated;
using Xunit.Abstractions;

namespace ViralForge.Functions.Tests;

/// <summary>
/// The whole pipeline in the gcp profile, with Google Sheets, Cloud Tasks, Cloud Storage and Cloud Run jobs played by
/// one stateful WireMock server: tasks come back to the stage endpoints with OIDC tokens signed by a test key, and a
/// jobs:run call runs the render job's entry point in-process with the overrides it was given.
/// </summary>
public sealed class GcpPipelineTests(ITestOutputHelper output)
{
    private const string SpreadsheetId = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms";
    private const string Tab = "Video ideas";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Rows_in_a_google_sheet_end_published_through_cloud_tasks_storage_and_a_render_job()
    {
        using var google = new SimulatedGoogleCloud();
        google.AddSheet(SpreadsheetId, Tab,
        [
            ["Topic", "Platform", "Duration", "Notes", "Owner", "Score"],
            ["Three stretches for desk workers", "youtube", "10", "Keep it simple.", "Ana", "=LEN(A2)"],
            ["Crispy roast potatoes", "tiktok", "12", "Salt the water well.", "Bo, Jr.", "=LEN(A3)"],
            ["Bad row", "myspace", "5", "", "Cy", ""],
        ]);
        using var scratch = new TempFolder();
        var url = $"http://127.0.0.1:{TestHost.FreePort()}";
        var settings = GcpPipelineSettings.For(google, url, scratch.Path);
        await using var host = await TestHost.StartAsync(
            dispatch: false,
            settings: settings,
            url: url,
            replace: GcpPipelineSettings.SimulatedCredentials);

        // jobs:run runs the render job's real entry point with the job's settings and the execution's overrides.
        var renderExits = new List<int>();
        google.OnJobRun = async overrides =>
        {
            var environment = GcpPipelineSettings.RenderJobEnvironment(settings, host.Database.ConnectionString, overrides);

            using var errors = new StringWriter();
            var code = await RenderJobEntry.RunAsync([], environment, errors, CancellationToken.None, GcpPipelineSettings.SimulatedCredentials);
            lock (renderExits)
            {
                renderExits.Add(code);
            }

            output.WriteLine($"render job exited {code} {errors}");
            return code == 0;
        };

        using var delivery = new CancellationTokenSource();
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        var deliverer = google.DeliverAsync(client, TimeProvider.System, maxAttempts: 5, delivery.Token);

        var sheet = host.Get<ISheetRegistry>().Open($"gsheet:{SpreadsheetId}/{Tab}");
        var intake = await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None);
        var ids = intake.Where(r => r.JobId is not null).Select(r => r.JobId!.Value).ToList();
        IReadOnlyList<Job> jobs;
        try
        {
            jobs = await host.WaitForJobsAsync(ids, j => j.IsTerminal, Patience);
        }
        catch (TimeoutException)
        {
            // Say where each job got stuck: its events carry every stage's errors.
            foreach (var id in ids)
            {
                foreach (var e in await host.Get<IJobStore>().ListEventsAsync(id, CancellationToken.None))
                {
                    output.WriteLine($"{id} {e.Kind} {e.Stage} {e.Message}");
                }
            }

            throw;
        }

        // The last status writes reach the sheet with the coalescer's next flush, written by the delivery that published:
        // stop delivering only once they are there, or a cancelled delivery loses its final row write.
        var status = -1;
        for (var wait = 0; wait < 300; wait++)
        {
            var rows = google.Values(SpreadsheetId, Tab);
            status = rows[0].ToList().IndexOf(SheetContract.Status);
            if (status >= 0 && rows.Skip(1).Take(2).All(r => r.Count > status && r[status] == "published"))
            {
                break;
            }

            await Task.Delay(200);
        }
        await delivery.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deliverer);

        foreach (var job in jobs)
        {
            output.WriteLine($"job {job.Id}: {job.Status} {job.Error}");
        }

        Assert.Equal(2, ids.Count);
        Assert.All(jobs, j => Assert.Equal(JobStatus.Published, j.Status));
        Assert.Equal([0, 0], renderExits);
        var values = google.Values(SpreadsheetId, Tab);
        var header = values[0].ToList();
        string Cell(int row, string column) => header.IndexOf(column) is var c and >= 0 && c < values[row].Count ? values[row][c] : "";
        // A job turns published when publish commits; its row is written just after (through the write coalescer).
        for (var waited = System.Diagnostics.Stopwatch.StartNew();
             waited.Elapsed < TimeSpan.FromSeconds(30) && (Cell(1, SheetContract.Status) != "published" || Cell(2, SheetContract.Status) != "published");
             values = google.Values(SpreadsheetId, Tab))
        {
            await Task.Delay(200);
        }
        Assert.Equal("published", Cell(1, SheetContract.Status));
        Assert.Equal("published", Cell(2, SheetContract.Status));
        Assert.Equal("invalid", Cell(3, SheetContract.Status));
        Assert.Contains("myspace", Cell(3, SheetContract.Error), StringComparison.Ordinal);
        Assert.Equal(ids[0].ToString(), Cell(1, SheetContract.JobId));
        // The person's cells, formulas included, are exactly as they were; nothing written became a formula.
        Assert.Equal(["Three stretches for desk workers", "youtube", "10", "Keep it simple.", "Ana", "=LEN(A2)"], values[1].Take(6));
        Assert.Equal(["Crispy roast potatoes", "tiktok", "12", "Salt the water well.", "Bo, Jr.", "=LEN(A3)"], values[2].Take(6));
        Assert.True(google.IsFormula(SpreadsheetId, Tab, 1, 5));
        for (var column = 6; column < header.Count; column++)
        {
            Assert.False(google.IsFormula(SpreadsheetId, Tab, 1, column), $"{header[column]} became a formula");
        }

        // Every file went through Cloud Storage; each job rendered once, through one Cloud Run execution.
        foreach (var id in ids)
        {
            Assert.Contains(google.Objects.Keys, k => k.StartsWith($"vf-test-bucket/jobs/{id:N}/render/", StringComparison.Ordinal) && k.EndsWith("video.mp4", StringComparison.Ordinal));
        }

        Assert.Equal(2, google.JobRuns);
        output.WriteLine($"Sheets: {google.SheetReadCalls} reads, {google.SheetWriteCalls} writes; {google.TaskCreates} tasks created; {google.JobRuns} render executions");
        // 2 jobs x 8 stages with several status changes each would be dozens of writes uncoalesced.
        Assert.InRange(google.SheetWriteCalls, 1, 40);
    }


    [Theory]
    [InlineData(0, 503, "running")]
    [InlineData(4, 200, "failed")]
    public async Task A_render_job_that_cannot_be_started_is_retried_and_on_the_last_attempt_fails_the_job(int retryCount, int expectedStatus, string expectedJob)
    {
        using var google = new SimulatedGoogleCloud();
        using var scratch = new TempFolder();
        var url = $"http://127.0.0.1:{TestHost.FreePort()}";
        var settings = GcpPipelineSettings.For(google, url, scratch.Path);
        // Cloud Run's admin API is unreachable: connections to this port are refused.
        using var refused = new RefusedPort();
        settings["Google:CloudRun:BaseAddress"] = refused.Url;
        settings["Google:CloudRun:MaxRetryAttempts"] = "0";
        await using var host = await TestHost.StartAsync(dispatch: false, settings: settings, url: url, replace: GcpPipelineSettings.SimulatedCredentials);
        var request = new VideoRequest("Why cats sleep so much", Platforms.YouTube, 30, "energetic", "en", "en", null, [], "");
        var store = host.Get<IJobStore>();
        var job = (await store.SubmitAsync("gsheet:x/y", Guid.NewGuid().ToString("N"), request, CancellationToken.None)).Job;
        // The stages before render are done, so the render stage gets as far as starting its execution.
        await CompleteAsync(store, job.Id, StageName.Visuals, new VisualsOutput([new StoredClip(0, BlobKeys.For(job.Id, StageName.Visuals, 1, "beat-1.mp4"), 3)]));
        await CompleteAsync(store, job.Id, StageName.Voice, new VoiceOutput(BlobKeys.For(job.Id, StageName.Voice, 1, "narration.wav"), 2.5, "en", "en", []));

        using var message = new HttpRequestMessage(HttpMethod.Post, "/stages/render")
        {
            Content = new StringContent($$"""{"jobId":"{{job.Id}}","generation":1}""", System.Text.Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", google.Tokens.Mint(url, GcpPipelineSettings.Invoker, TimeProvider.System.GetUtcNow()));
        message.Headers.Add("X-CloudTasks-TaskRetryCount", retryCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await host.Client.SendAsync(message);

        Assert.Equal(expectedStatus, (int)response.StatusCode);
        var after = (await host.Get<IJobStore>().GetAsync(job.Id, CancellationToken.None))!;
        Assert.Equal(expectedJob == "failed", after.Status == JobStatus.Failed);
        if (expectedJob == "failed")
        {
            Assert.Contains("could not start the render job", after.Error, StringComparison.Ordinal);
        }
    }

    private static async Task CompleteAsync<T>(IJobStore store, Guid jobId, StageName stage, T output)
    {
        await store.ClaimStageAsync(jobId, stage, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteStageAsync(new StageCompletion(jobId, stage, 1, StageJson.ToElement(output), [], JobStatus.ForStage(StageName.Render), "done"), CancellationToken.None);
    }

}

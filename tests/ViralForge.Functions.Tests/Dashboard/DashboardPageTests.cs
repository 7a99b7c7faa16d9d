using System.Net;
using System.Text.RegularExpressions;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Functions.Dashboard;

namespace ViralForge.Functions.Tests.Dashboard;

/// <summary>The dashboard on the local profile (this machine only), through the real host on a loopback port.</summary>
public sealed partial class DashboardPageTests
{
    private static Task<TestHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null) =>
        TestHost.StartAsync(dispatch: false, settings: settings);

    [Fact]
    public async Task The_list_filters_by_sheet_status_and_date_and_pages()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Dashboard:PageSize"] = "2" });
        var ideas = host.Folder.File("ideas.csv");
        var other = host.Folder.File("other.csv");
        var first = await DashboardSeed.SubmitAsync(host, "Bread one", ideas);
        await DashboardSeed.SubmitAsync(host, "Bread two", ideas);
        await DashboardSeed.SubmitAsync(host, "Bread three", ideas);
        var elsewhere = await DashboardSeed.SubmitAsync(host, "Kettlebell basics", other);
        await host.Get<IJobStore>().FinishAsync(first, JobStatus.Failed, "voice: espeak-ng crashed", CancellationToken.None);

        var all = await host.Client.GetStringAsync("/");
        Assert.Contains("4 jobs, page 1 of 2", all, StringComparison.Ordinal);
        Assert.Equal(2, JobRows().Matches(all).Count);
        Assert.Contains("rel=\"next\" href=\"/?page=2\"", all, StringComparison.Ordinal);
        Assert.Contains("ideas.csv", all, StringComparison.Ordinal);

        var sheet = await host.Client.GetStringAsync($"/?sheet={Uri.EscapeDataString(other)}");
        Assert.Contains("1 job, page 1 of 1", sheet, StringComparison.Ordinal);
        Assert.Contains($"id=\"job-{elsewhere}\"", sheet, StringComparison.Ordinal);

        var failed = await host.Client.GetStringAsync("/?status=failed");
        Assert.Contains($"id=\"job-{first}\"", failed, StringComparison.Ordinal);
        Assert.Contains("voice: espeak-ng crashed", failed, StringComparison.Ordinal);
        Assert.Single(JobRows().Matches(failed));

        var today = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("4 jobs", await host.Client.GetStringAsync($"/?from={today}&to={today}"), StringComparison.Ordinal);
        Assert.Contains("0 jobs", await host.Client.GetStringAsync("/?to=2020-01-01"), StringComparison.Ordinal);

        var second = await host.Client.GetStringAsync($"/?sheet={Uri.EscapeDataString(ideas)}&page=2");
        Assert.Contains("3 jobs, page 2 of 2", second, StringComparison.Ordinal);
        Assert.Single(JobRows().Matches(second));
        Assert.Contains("rel=\"prev\"", second, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/?status=done", "status 'done' is not a status word")]
    [InlineData("/?from=07/12/2026", "from '07/12/2026' is not a date; use yyyy-MM-dd")]
    [InlineData("/?page=0", "page '0' is not a page number")]
    public async Task A_bad_filter_is_named_with_its_fix(string path, string message)
    {
        await using var host = await StartAsync();
        using var response = await host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_reached_through_another_host_name_is_refused()
    {
        await using var host = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "attacker.example"; // DNS rebinding: a page elsewhere resolving its name to 127.0.0.1
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("cross-site")]
    [InlineData("no-origin")]
    [InlineData("no-token")]
    public async Task A_cancel_not_from_the_job_page_changes_nothing(string breakage)
    {
        await using var host = await StartAsync();
        var job = await DashboardSeed.SubmitAsync(host, "Bread one");
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.Client.BaseAddress };
        var token = FormToken().Match(await client.GetStringAsync($"/job/{job}")).Groups[1].Value;
        var origin = host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        var fields = new Dictionary<string, string> { ["generation"] = "1" };
        if (breakage != "no-token")
        {
            fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/job/{job}/cancel") { Content = new FormUrlEncodedContent(fields) };
        if (breakage != "no-origin")
        {
            request.Headers.TryAddWithoutValidation("Origin", breakage == "cross-site" ? "http://attacker.example" : origin);
        }
        using var response = await client.SendAsync(request);
        Assert.Equal(breakage == "no-token" ? HttpStatusCode.BadRequest : HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(JobStatus.Queued, (await host.Get<IJobStore>().GetAsync(job, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Cancel_from_the_job_page_ends_the_job_once_through_the_compensator()
    {
        await using var host = await StartAsync();
        var job = await DashboardSeed.SubmitAsync(host, "Bread one");
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.Client.BaseAddress };
        var page = await client.GetStringAsync($"/job/{job}");
        Assert.Contains("Cancel job", page, StringComparison.Ordinal);
        var token = WebUtility.HtmlDecode(FormToken().Match(page).Groups[1].Value);
        var origin = host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);

        async Task<HttpResponseMessage> CancelAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/job/{job}/cancel")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["generation"] = "1", ["__RequestVerificationToken"] = token }),
            };
            request.Headers.TryAddWithoutValidation("Origin", origin);
            return await client.SendAsync(request);
        }

        using var first = await CancelAsync();
        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal($"/job/{job}?done=cancel", first.Headers.Location!.OriginalString);
        var ended = await host.Get<IJobStore>().GetAsync(job, CancellationToken.None);
        Assert.Equal(JobStatus.Cancelled, ended!.Status);
        Assert.Equal("cancelled by local from the dashboard", ended.Error);

        using var again = await CancelAsync();
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already ended (cancelled)", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_events_stream_sends_a_job_change_as_it_happens()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Dashboard:EventsPollInterval"] = "00:00:00.200" });
        var job = await DashboardSeed.SubmitAsync(host, "Bread one");
        var since = TimeProvider.System.GetUtcNow().AddSeconds(5).UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await host.Client.GetAsync($"/events?since={Uri.EscapeDataString(since)}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
        using var reader = new StreamReader(stream);

        await Task.Delay(300, cts.Token);
        await host.Get<IJobStore>().SetStatusAsync(job, "script", StageName.Script, cts.Token);
        string? data = null;
        while (data is null && await reader.ReadLineAsync(cts.Token) is { } line)
        {
            // The job's creation may come first (each poll overlaps the one before by two seconds); the change follows.
            if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains(job.ToString(), StringComparison.Ordinal)
                && line.Contains("\"status\":\"script\"", StringComparison.Ordinal))
            {
                data = line;
            }
        }
        Assert.NotNull(data);
        Assert.Contains("\"status\":\"script\"", data, StringComparison.Ordinal);
        Assert.Contains("\"stage\":\"script\"", data, StringComparison.Ordinal);
    }

    [Fact]
    public void The_timeline_counts_each_stage_from_its_first_event_to_its_last_and_the_running_one_to_now()
    {
        var start = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        var job = new Job(Guid.NewGuid(), "sheet", "hash", new VideoRequest("t", Platforms.YouTube, 20, "clean", "default", "en", null, [], ""),
            "voice", StageName.Voice, 1, null, start, start);
        var events = new List<(DateTimeOffset, string, StageName?)>
        {
            (start, "started", StageName.Script),
            (start.AddSeconds(4), "completed", StageName.Script),
            (start.AddSeconds(5), "started", StageName.Visuals),
            (start.AddSeconds(6), "attempt_failed", StageName.Visuals),
            (start.AddSeconds(15), "completed", StageName.Visuals),
            (start.AddSeconds(16), "started", StageName.Voice),
            (start.AddSeconds(99), "compensated", StageName.Script),
        };
        var spans = DashboardQueries.Timeline(job, events, start.AddSeconds(30));
        Assert.Equal([StageName.Script, StageName.Visuals, StageName.Voice], spans.Select(s => s.Stage));
        Assert.Equal([4.0, 10.0, 14.0], spans.Select(s => s.Duration.TotalSeconds));
        Assert.Equal([false, false, true], spans.Select(s => s.Running));
    }

    [GeneratedRegex("<tr id=\"job-")]
    private static partial Regex JobRows();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}

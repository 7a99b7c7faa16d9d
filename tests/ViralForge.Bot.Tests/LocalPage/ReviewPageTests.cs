using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using ViralForge.Bot.LocalPage;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Bot.Tests.LocalPage;

/// <summary>The local review page through the real HTTP pipeline: what it shows, what it refuses, and what a decision does.</summary>
public sealed class ReviewPageTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string> Approve(int generation = 1) => new() { ["verdict"] = "approve", ["generation"] = $"{generation}", ["return"] = "video", ["reviewer"] = Reviewer };

    private const string Reviewer = "Ana Lima";

    [Fact]
    public async Task The_list_shows_an_awaiting_video_with_its_player_and_script()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync(publishAt: new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero));

        var (html, token) = await host.OpenAsync("/review");

        Assert.Contains("Waiting for review (1)", html);
        Assert.Contains($"src=\"/review/{job.Id}/video\"", html);
        Assert.Contains($"poster=\"/review/{job.Id}/thumbnail\"", html);
        Assert.Contains("Your back hurts? Try this.", html);
        Assert.Contains("Roll your shoulders back five times.", html);
        Assert.Contains("Stretch your neck gently.", html);
        Assert.Contains("Follow for more quick fixes.", html);
        Assert.Contains("20.5 s", html);
        Assert.Contains("YouTube, TikTok", html);
        Assert.Contains("2026-12-01 15:00 UTC", html);
        Assert.Contains(">Approve</button>", html);
        Assert.Contains(">Reject</button>", html);
        Assert.Contains(">Regenerate</button>", html);
        Assert.Contains($"<label for=\"reason-{job.Id}\">", html);
        Assert.Contains($"<label for=\"feedback-{job.Id}\">", html);
        Assert.NotNull(token);
        Assert.DoesNotContain("Nothing is waiting for review.", html);
    }

    [Fact]
    public async Task An_empty_list_says_nothing_is_waiting()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);

        var (html, _) = await host.OpenAsync("/review");

        Assert.Contains("Nothing is waiting for review.", html);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();
        await host.OpenAsync($"/review/{job.Id}"); // the cookie half of the token is set; the form half is missing
        var before = await host.SnapshotAsync();

        using var response = await host.PostDecisionAsync(job.Id, Approve(), formToken: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("security token", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await host.SnapshotAsync());
    }

    [Fact]
    public async Task A_token_from_another_browser_is_refused()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();
        var (_, token) = await host.OpenAsync($"/review/{job.Id}");
        foreach (Cookie cookie in host.Cookies.GetAllCookies())
        {
            cookie.Expired = true; // the form token without its cookie, as a forged page would hold it
        }
        var before = await host.SnapshotAsync();

        using var response = await host.PostDecisionAsync(job.Id, Approve(), token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await host.SnapshotAsync());
    }

    [Theory]
    [InlineData("http://evil.example", null, null)]
    [InlineData("null", null, null)]
    [InlineData(null, null, null)]
    [InlineData(null, "http://evil.example/page", null)]
    [InlineData("http://127.0.0.1:1", null, null)]
    [InlineData("self", null, "cross-site")]
    public async Task A_post_from_another_origin_is_refused_and_changes_nothing(string? origin, string? referer, string? fetchSite)
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();
        var (_, token) = await host.OpenAsync($"/review/{job.Id}");
        var before = await host.SnapshotAsync();

        using var response = await host.PostDecisionAsync(job.Id, Approve(), token, origin == "self" ? "" : origin, request =>
        {
            if (referer is not null)
            {
                request.Headers.Referrer = new Uri(referer);
            }
            if (fetchSite is not null)
            {
                request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", fetchSite);
            }
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await host.SnapshotAsync());
    }

    [Fact]
    public async Task A_same_origin_referer_stands_in_for_a_missing_origin()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();
        var (_, token) = await host.OpenAsync($"/review/{job.Id}");

        using var response = await host.PostDecisionAsync(job.Id, Approve(), token, origin: null,
            request => request.Headers.Referrer = new Uri(host.BaseAddress, $"/review/{job.Id}"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(ReviewVerdict.Approve, (await host.Get<IReviewLedger>().GetDecisionAsync(job.Id, 1, CancellationToken.None))?.Verdict);
    }

    [Fact]
    public async Task The_page_answers_no_host_name_but_loopback_ones()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();

        // A web page elsewhere reaching this port through DNS rebinding sends its own name as Host.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/review/{job.Id}");
        request.Headers.Host = "rebind.evil.example";
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("Your back hurts", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Approving_on_the_page_publishes_the_job_and_says_so()
    {
        await using var host = await PageHost.StartAsync();
        var job = await host.SeedAwaitingAsync();
        var (_, token) = await host.OpenAsync($"/review/{job.Id}");

        using var response = await host.PostDecisionAsync(job.Id, Approve(), token);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith($"/review/{job.Id}?outcome=decided", location);
        var (html, _) = await host.OpenAsync(location);
        Assert.Contains("Approved; publishing.", html);
        var decision = await host.Get<IReviewLedger>().GetDecisionAsync(job.Id, 1, CancellationToken.None);
        Assert.Equal("local", decision!.Surface);
        Assert.Equal($"local:{Reviewer}", decision.ReviewerId);
        Assert.Equal(Reviewer, decision.ReviewerName);

        var published = await host.WaitForJobAsync(job.Id, j => j.IsTerminal, Patience);
        Assert.Equal(JobStatus.Published, published.Status);
        var (after, _) = await host.OpenAsync($"/review/{job.Id}");
        Assert.Contains($"Approved by {Reviewer}", after);
        Assert.DoesNotContain(">Approve</button>", after);
    }

    [Fact]
    public async Task Every_decision_form_asks_for_your_name()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        await host.SeedAwaitingAsync();

        var (html, _) = await host.OpenAsync("/review");

        Assert.Equal(3, CountOf(html, "<label class=\"who\">Your name <input type=\"text\" name=\"reviewer\" required"));
    }

    [Fact]
    public async Task A_decision_without_a_name_is_refused_with_a_clear_error_and_changes_nothing()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();
        var (_, token) = await host.OpenAsync($"/review/{job.Id}");
        var before = await host.SnapshotAsync();
        var nameless = Approve();
        nameless["reviewer"] = "   ";

        using var response = await host.PostDecisionAsync(job.Id, nameless, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<p role=\"alert\">Fill in Your name: the decision is recorded under it. Nothing was decided.</p>", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await host.SnapshotAsync());
    }

    [Fact]
    public async Task The_name_is_remembered_in_a_same_site_cookie_and_filled_in_next_time()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();
        await host.SeedAwaitingAsync(topic: "Another one");
        var (first, token) = await host.OpenAsync($"/review/{job.Id}");
        Assert.Contains("name=\"reviewer\" required maxlength=\"100\" autocomplete=\"name\" value=\"\"", first);

        using var response = await host.PostDecisionAsync(job.Id, Approve(), token);
        var (next, _) = await host.OpenAsync("/review");

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("vf-reviewer=", StringComparison.Ordinal));
        Assert.Contains("path=/review", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, CountOf(next, $"autocomplete=\"name\" value=\"{Reviewer}\""));
    }

    [Fact]
    public async Task A_second_click_learns_the_video_was_already_decided()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();
        var (_, token) = await host.OpenAsync($"/review/{job.Id}");

        using var first = await host.PostDecisionAsync(job.Id, Approve(), token);
        using var second = await host.PostDecisionAsync(job.Id,
            new Dictionary<string, string> { ["verdict"] = "reject", ["reason"] = "too late", ["generation"] = "1", ["return"] = "list", ["reviewer"] = "Bo" }, token);

        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        var location = second.Headers.Location!.ToString();
        Assert.StartsWith($"/review?outcome=already&job={job.Id}", location);
        var (html, _) = await host.OpenAsync(location);
        Assert.Contains($"Already decided: Approved by {Reviewer}", html);
        Assert.Equal(ReviewVerdict.Approve, (await host.Get<IReviewLedger>().GetDecisionAsync(job.Id, 1, CancellationToken.None))!.Verdict);
    }

    [Fact]
    public async Task Rejecting_with_a_reason_ends_the_job_rejected_with_that_reason()
    {
        await using var host = await PageHost.StartAsync();
        var job = await host.SeedAwaitingAsync();
        var (_, token) = await host.OpenAsync("/review");

        using var response = await host.PostDecisionAsync(job.Id,
            new Dictionary<string, string> { ["verdict"] = "reject", ["reason"] = "The hook is off-brand", ["generation"] = "1", ["return"] = "list", ["reviewer"] = Reviewer }, token);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var (html, _) = await host.OpenAsync(response.Headers.Location!.ToString());
        Assert.Contains("Rejected: The hook is off-brand.", html);
        var ended = await host.WaitForJobAsync(job.Id, j => j.IsTerminal, Patience);
        Assert.Equal(JobStatus.Rejected, ended.Status);
        Assert.Contains("The hook is off-brand", ended.Error);
    }

    [Fact]
    public async Task Rejecting_without_a_reason_is_refused_and_changes_nothing()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();
        var (_, token) = await host.OpenAsync($"/review/{job.Id}");
        var before = await host.SnapshotAsync();

        using var response = await host.PostDecisionAsync(job.Id,
            new Dictionary<string, string> { ["verdict"] = "reject", ["reason"] = "  ", ["generation"] = "1", ["reviewer"] = Reviewer }, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Say why you reject", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await host.SnapshotAsync());
    }

    [Fact]
    public async Task Regenerating_the_voice_starts_generation_two_with_the_feedback()
    {
        await using var host = await PageHost.StartAsync();
        var job = await host.SeedAwaitingAsync();
        var (_, token) = await host.OpenAsync($"/review/{job.Id}");

        using var response = await host.PostDecisionAsync(job.Id, new Dictionary<string, string>
        {
            ["verdict"] = "regenerate", ["stage"] = "voice", ["feedback"] = "Slower, please", ["generation"] = "1", ["return"] = "video", ["reviewer"] = Reviewer,
        }, token);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var (html, _) = await host.OpenAsync(response.Headers.Location!.ToString());
        Assert.Contains("Regenerating the voice", html);
        var regenerating = await host.WaitForJobAsync(job.Id, j => j.Generation == 2, Patience);
        Assert.Equal(2, regenerating.Generation);
        var decision = await host.Get<IReviewLedger>().GetDecisionAsync(job.Id, 1, CancellationToken.None);
        Assert.Equal(StageName.Voice, decision!.RegenerateStage);
        Assert.Equal("Slower, please", decision.Feedback);
        var runs = await host.Get<IJobStore>().ListStageRunsAsync(job.Id, CancellationToken.None);
        Assert.DoesNotContain(runs, r => r.Generation == 2 && r.Stage < StageName.Voice); // script and visuals are reused
    }

    [Fact]
    public async Task A_stale_form_for_an_older_generation_decides_nothing()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();
        var (_, token) = await host.OpenAsync($"/review/{job.Id}");
        var before = await host.SnapshotAsync();

        using var response = await host.PostDecisionAsync(job.Id, Approve(generation: 7), token);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var (html, _) = await host.OpenAsync(response.Headers.Location!.ToString());
        Assert.Contains("nothing was decided", html);
        Assert.Equal(before, await host.SnapshotAsync());
    }

    [Fact]
    public async Task Html_in_the_topic_and_the_hook_is_shown_as_text()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync(topic: "<script>alert('topic')</script> & \"quotes\"", hook: "<img src=x onerror=alert(1)>Hook");

        foreach (var path in new[] { "/review", $"/review/{job.Id}" })
        {
            var (html, _) = await host.OpenAsync(path);
            Assert.DoesNotContain("<script>alert", html);
            Assert.DoesNotContain("<img src=x", html);
            Assert.Contains("&lt;script&gt;alert(&#x27;topic&#x27;)&lt;/script&gt; &amp; &quot;quotes&quot;", html);
            Assert.Contains("&lt;img src=x onerror=alert(1)&gt;Hook", html);
        }
    }

    [Fact]
    public async Task No_get_changes_the_database()
    {
        await using var host = await PageHost.StartAsync();
        var job = await host.SeedAwaitingAsync();
        var other = await host.SeedAwaitingAsync(topic: "Another one");
        var waiting = await host.SeedScriptReviewAsync(topic: "A script to check");
        await Task.Delay(500); // let the dispatcher's first poll pass, so only the requests below could change anything
        var before = await host.SnapshotAsync();

        // What a chat link previewer or a curious browser might open, decision-looking query strings included.
        string[] paths =
        [
            "/review", $"/review/{job.Id}", $"/review/{job.Id}/video", $"/review/{job.Id}/thumbnail",
            $"/review/{job.Id}?outcome=decided&g=1", $"/review?outcome=decided&job={job.Id}&g=1",
            $"/review/{job.Id}/decision", $"/review/{job.Id}/decision?verdict=approve&generation=1",
            $"/review/{other.Id}", $"/review/{Guid.NewGuid()}", "/review/assets/review.js", "/review/assets/review.css", "/review/assets/icon.svg",
            $"/review/{job.Id}/script", $"/review/{waiting.Id}/script", $"/review?outcome=script&job={waiting.Id}&g=1",
        ];
        foreach (var path in paths)
        {
            using var response = await host.Client.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed,
                $"GET {path} answered {(int)response.StatusCode}");
        }

        Assert.Equal(before, await host.SnapshotAsync());
        Assert.True((await ReviewDecisionsAwaiting(host, job.Id)), "the job still waits for review");
    }

    [Fact]
    public async Task The_video_is_served_with_range_support_and_only_for_its_own_job()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();
        var expected = PageHost.VideoBytes();

        using var whole = await host.Client.GetAsync($"/review/{job.Id}/video");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("video/mp4", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        Assert.Equal(expected, await whole.Content.ReadAsByteArrayAsync());

        using var range = new HttpRequestMessage(HttpMethod.Get, $"/review/{job.Id}/video");
        range.Headers.Range = new RangeHeaderValue(1000, 1099);
        using var partial = await host.Client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal($"bytes 1000-1099/{expected.Length}", partial.Content.Headers.ContentRange?.ToString());
        Assert.Equal(expected[1000..1100], await partial.Content.ReadAsByteArrayAsync());

        using var thumbnail = await host.Client.GetAsync($"/review/{job.Id}/thumbnail");
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);

        // A job that has not rendered has no video, and no path in the request can point elsewhere.
        var store = host.Get<IJobStore>();
        var unrendered = (await store.SubmitAsync(host.Folder.File("other.csv"), "other-row",
            new VideoRequest("Unrendered", Platforms.YouTube, 20, "clean", "default", "en", null, [], ""), CancellationToken.None)).Job;
        foreach (var path in new[]
        {
            $"/review/{unrendered.Id}/video", $"/review/{unrendered.Id}/thumbnail", $"/review/{Guid.NewGuid()}/video",
            $"/review/{unrendered.Id}/video?key=jobs/{job.Id:N}/render/g1/video.mp4", $"/review/{job.Id}/..%2f..%2fetc%2fpasswd",
        })
        {
            using var response = await host.Client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"GET {path} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task The_page_is_not_mapped_under_the_gcp_profile()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ViralForge:Profile"] = "gcp" });
        await using var app = builder.Build();

        app.MapLocalReviewPage();

        Assert.Empty(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints));
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    private static async Task<bool> ReviewDecisionsAwaiting(PageHost host, Guid jobId)
    {
        var store = host.Get<IJobStore>();
        return await Core.Review.ReviewDecisions.IsAwaitingAsync(store, (await store.GetAsync(jobId, CancellationToken.None))!, CancellationToken.None);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Testing;

namespace ViralForge.Functions.Tests.Api;

/// <summary>Every /v1 job endpoint through the real host: create, get, list, cancel, approve, reject, regenerate.</summary>
public sealed class JobsApiTests
{
    [Fact]
    public async Task Rows_become_jobs_with_the_sheet_s_defaults_and_sending_them_again_finds_the_same_jobs()
    {
        await using var api = await ApiHost.StartAsync();
        var key = await api.KeyAsync();
        const string Body = """
            {
              "sheet": "crm",
              "defaults": { "platform": "tiktok", "language": "pt-BR" },
              "rows": [
                { "topic": "Three tips for sourdough", "duration": 45, "hashtags": ["#bread", "#baking"], "reviewScript": true },
                { "topic": "Why cats purr", "platform": "both", "duration": "0:20", "publishAt": "2030-01-02 15:00" }
              ]
            }
            """;

        var first = await api.SendAsync(HttpMethod.Post, "/v1/jobs", key, Body);
        var again = await api.SendAsync(HttpMethod.Post, "/v1/jobs", key, Body);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        var results = first.Body!["results"]!.AsArray();
        Assert.Equal([0, 1], results.Select(r => (int)r!["index"]!));
        Assert.All(results, r => Assert.True((bool)r!["created"]!));
        var sourdough = results[0]!["job"]!;
        Assert.Equal("api:crm", (string)sourdough["sheetId"]!);
        Assert.Equal("queued", (string)sourdough["status"]!);
        Assert.Equal(1, (int)sourdough["generation"]!);
        var request = sourdough["request"]!;
        Assert.Equal("Three tips for sourdough", (string)request["topic"]!);
        Assert.Equal(["tiktok"], request["platforms"]!.AsArray().Select(p => (string)p!));
        Assert.Equal(45, (int)request["durationSeconds"]!);
        Assert.Equal("pt-BR", (string)request["language"]!);
        // Stored as the sheet stores them: without the #.
        Assert.Equal(["bread", "baking"], request["hashtags"]!.AsArray().Select(p => (string)p!));
        Assert.True((bool)request["reviewScript"]!);
        var cats = results[1]!["job"]!["request"]!;
        Assert.Equal(["youtube", "tiktok"], cats["platforms"]!.AsArray().Select(p => (string)p!));
        Assert.Equal(20, (int)cats["durationSeconds"]!);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 15, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)cats["publishAt"]!, System.Globalization.CultureInfo.InvariantCulture));

        // Unchanged rows are not made twice, with or without an Idempotency-Key: the same jobs, created false, 200.
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(ApiHost.Ids(first), ApiHost.Ids(again));
        Assert.All(again.Body!["results"]!.AsArray(), r => Assert.False((bool)r!["created"]!));
        Assert.Equal(2, (await api.Jobs.ListBySheetAsync("api:crm", CancellationToken.None)).Count);
        // Their first stage is queued, once per job.
        Assert.Equal(2L, await api.Host.Database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = 'vf-trends'"));
    }

    [Fact]
    public async Task A_job_reads_with_its_progress_and_history_and_unknown_or_malformed_ids_are_told_apart()
    {
        await using var api = await ApiHost.StartAsync();
        var key = await api.KeyAsync(Functions.Api.ApiScope.Read);
        var id = ApiHost.Ids(await api.CreateAsync(await api.KeyAsync(), "crm", "Three tips for sourdough"))[0];

        var found = await api.SendAsync(HttpMethod.Get, $"/v1/jobs/{id}", key);
        var unknown = await api.SendAsync(HttpMethod.Get, $"/v1/jobs/{Guid.NewGuid()}", key);
        var malformed = await api.SendAsync(HttpMethod.Get, "/v1/jobs/not-a-job", key);

        Assert.Equal(HttpStatusCode.OK, found.Status);
        Assert.Equal(id.ToString(), (string)found.Body!["job"]!["id"]!);
        Assert.Equal("queued", (string)found.Body["job"]!["status"]!);
        var submitted = Assert.Single(found.Body["events"]!.AsArray());
        Assert.Equal("submitted", (string)submitted!["kind"]!);
        Assert.Equal("row 1 of api:crm", (string)submitted["message"]!);
        Assert.Null((string?)found.Body["video"]);
        unknown.AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal(["id"], malformed.AssertProblem(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task The_list_filters_by_sheet_and_status_newest_first()
    {
        await using var api = await ApiHost.StartAsync();
        var key = await api.KeyAsync();
        var crm = ApiHost.Ids(await api.CreateAsync(key, "crm", "One", "Two", "Three"));
        var other = ApiHost.Ids(await api.CreateAsync(key, "other", "Four"));
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, $"/v1/jobs/{crm[1]}/cancel", key)).Status);

        var all = await api.SendAsync(HttpMethod.Get, "/v1/jobs", key);
        var bySheet = await api.SendAsync(HttpMethod.Get, "/v1/jobs?sheet=api:crm", key);
        var queued = await api.SendAsync(HttpMethod.Get, "/v1/jobs?sheet=api:crm&status=queued", key);
        var either = await api.SendAsync(HttpMethod.Get, "/v1/jobs?status=cancelled,queued&status=failed", key);

        Assert.Equal([other[0], crm[2], crm[1], crm[0]], Ids(all));
        Assert.Null((string?)all.Body!["nextCursor"]);
        Assert.Equal([crm[2], crm[1], crm[0]], Ids(bySheet));
        Assert.Equal([crm[2], crm[0]], Ids(queued));
        Assert.Equal(4, Ids(either).Count);
    }

    [Fact]
    public async Task Cancel_ends_a_running_job_once_and_says_so_for_an_ended_one()
    {
        await using var api = await ApiHost.StartAsync();
        var key = await api.KeyAsync(owner: "crm-sync");
        var id = ApiHost.Ids(await api.CreateAsync(key, "crm", "Three tips for sourdough"))[0];

        var cancelled = await api.SendAsync(HttpMethod.Post, $"/v1/jobs/{id}/cancel", key, """{ "reason": "the campaign was dropped" }""");
        var again = await api.SendAsync(HttpMethod.Post, $"/v1/jobs/{id}/cancel", key);
        var unknown = await api.SendAsync(HttpMethod.Post, $"/v1/jobs/{Guid.NewGuid()}/cancel", key);

        Assert.Equal(HttpStatusCode.OK, cancelled.Status);
        Assert.Equal("cancelled", (string)cancelled.Body!["status"]!);
        var job = (await api.Jobs.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.Equal("cancelled through the API by crm-sync: the campaign was dropped", job.Error);
        again.AssertProblem(HttpStatusCode.Conflict);
        Assert.Contains("already cancelled", (string)again.Body!["detail"]!, StringComparison.Ordinal);
        unknown.AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Approve_records_the_caller_s_decision_through_the_review_desk_and_a_second_decision_learns_of_it()
    {
        await using var api = await ApiHost.StartAsync();
        var key = await api.KeyAsync(owner: "ops-bot");
        var id = ApiHost.Ids(await api.CreateAsync(key, "crm", "Three tips for sourdough"))[0];
        var early = await api.SendAsync(HttpMethod.Post, $"/v1/jobs/{id}/approve", key);
        await TestReviews.AwaitReviewAsync(api.Jobs, id);

        var approved = await api.SendAsync(HttpMethod.Post, $"/v1/jobs/{id}/approve", key, """{ "reason": "looks great" }""");
        var late = await api.SendAsync(HttpMethod.Post, $"/v1/jobs/{id}/reject", api.GoogleToken(), """{ "reason": "too late" }""");
        using var apply = await api.Host.Client.PostTaskAsync(ReviewDesk.ApplyPath, id, 1, TestHost.Token);

        early.AssertProblem(HttpStatusCode.Conflict);
        Assert.Contains("not waiting for review", (string)early.Body!["detail"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, approved.Status);
        Assert.Equal("decided", (string)approved.Body!["outcome"]!);
        Assert.StartsWith("Approved by ops-bot", (string)approved.Body["message"]!, StringComparison.Ordinal);
        var decision = (await api.Host.Get<IReviewLedger>().GetDecisionAsync(id, 1, CancellationToken.None))!;
        Assert.Equal((ReviewVerdict.Approve, "api:ops-bot", "api", "looks great"), (decision.Verdict, decision.ReviewerId, decision.Surface, decision.Reason));
        late.AssertProblem(HttpStatusCode.Conflict);
        Assert.Contains("Already decided: Approved by ops-bot", (string)late.Body!["detail"]!, StringComparison.Ordinal);
        // Applying the decision (the queued task) approves the job and queues its publish.
        Assert.Equal(HttpStatusCode.OK, apply.StatusCode);
        Assert.Equal(JobStatus.Approved, (await api.Jobs.GetAsync(id, CancellationToken.None))!.Status);
        Assert.Equal(1L, await api.Host.Database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = 'vf-publish'"));
    }

    [Fact]
    public async Task Reject_from_an_allow_listed_google_account_ends_the_job_as_rejected()
    {
        await using var api = await ApiHost.StartAsync();
        var id = ApiHost.Ids(await api.CreateAsync(await api.KeyAsync(), "crm", "Three tips for sourdough"))[0];
        await TestReviews.AwaitReviewAsync(api.Jobs, id);

        var rejected = await api.SendAsync(HttpMethod.Post, $"/v1/jobs/{id}/reject", api.GoogleToken(), """{ "reason": "off brand", "generation": 1 }""");
        using var apply = await api.Host.Client.PostTaskAsync(ReviewDesk.ApplyPath, id, 1, TestHost.Token);

        Assert.Equal(HttpStatusCode.Accepted, rejected.Status);
        var job = (await api.Jobs.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(JobStatus.Rejected, job.Status);
        Assert.Equal("rejected by ana@example.com: off brand", job.Error);
    }

    [Fact]
    public async Task Regenerate_reruns_the_named_stage_with_the_feedback_in_the_next_generation()
    {
        await using var api = await ApiHost.StartAsync();
        var key = await api.KeyAsync();
        var id = ApiHost.Ids(await api.CreateAsync(key, "crm", "Three tips for sourdough"))[0];
        await TestReviews.AwaitReviewAsync(api.Jobs, id);

        var wrongGeneration = await api.SendAsync(HttpMethod.Post, $"/v1/jobs/{id}/regenerate", key, """{ "stage": "voice", "generation": 2 }""");
        var regenerated = await api.SendAsync(HttpMethod.Post, $"/v1/jobs/{id}/regenerate", key, """{ "stage": "voice", "feedback": "a warmer voice" }""");
        using var apply = await api.Host.Client.PostTaskAsync(ReviewDesk.ApplyPath, id, 1, TestHost.Token);

        wrongGeneration.AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Accepted, regenerated.Status);
        Assert.Contains("Regenerate voice", (string)regenerated.Body!["message"]!, StringComparison.Ordinal);
        var decision = (await api.Host.Get<IReviewLedger>().GetDecisionAsync(id, 1, CancellationToken.None))!;
        Assert.Equal((StageName.Voice, "a warmer voice"), (decision.RegenerateStage, decision.Feedback));
        var job = (await api.Jobs.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(2, job.Generation);
        Assert.Equal(1L, await api.Host.Database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = 'vf-voice'"));
    }

    [Fact]
    public async Task Keys_are_made_listed_and_revoked_by_write_callers_and_a_revoked_key_is_refused()
    {
        await using var api = await ApiHost.StartAsync();
        var admin = await api.KeyAsync(owner: "admin");

        var made = await api.SendAsync(HttpMethod.Post, "/v1/keys", api.GoogleToken(), """{ "scope": "read", "owner": "dashboard" }""");
        var key = (string)made.Body!["key"]!;
        var keyId = (long)made.Body["info"]!["id"]!;
        var reads = await api.SendAsync(HttpMethod.Get, "/v1/jobs", key);
        var listed = await api.SendAsync(HttpMethod.Get, "/v1/keys", admin);
        var revoked = await api.SendAsync(HttpMethod.Delete, $"/v1/keys/{keyId}", admin);
        var refused = await api.SendAsync(HttpMethod.Get, "/v1/jobs", key);
        var twice = await api.SendAsync(HttpMethod.Delete, $"/v1/keys/{keyId}", admin);
        var listedAfter = await api.SendAsync(HttpMethod.Get, "/v1/keys", admin);

        Assert.Equal(HttpStatusCode.Created, made.Status);
        Assert.Matches("^vfa_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(("dashboard", "read", "ana@example.com"), ((string)made.Body["info"]!["owner"]!, (string)made.Body["info"]!["scope"]!, (string)made.Body["info"]!["createdBy"]!));
        Assert.Equal(HttpStatusCode.OK, reads.Status);
        Assert.DoesNotContain(key, listed.Text, StringComparison.Ordinal);
        var entry = listed.Body!["keys"]!.AsArray().Single(k => (long)k!["id"]! == keyId)!;
        Assert.NotNull((string?)entry["lastUsedAt"]);
        Assert.Null((string?)entry["revokedAt"]);
        Assert.Equal(HttpStatusCode.NoContent, revoked.Status);
        refused.AssertProblem(HttpStatusCode.Unauthorized);
        twice.AssertProblem(HttpStatusCode.NotFound);
        Assert.NotNull((string?)listedAfter.Body!["keys"]!.AsArray().Single(k => (long)k!["id"]! == keyId)!["revokedAt"]);
    }

    private static List<Guid> Ids(ApiAnswer page)
    {
        Assert.True(page.Status == HttpStatusCode.OK, page.Text);
        return [.. page.Body!["jobs"]!.AsArray().Select(j => Guid.Parse((string)j!["id"]!))];
    }
}

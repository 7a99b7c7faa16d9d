using System.Net;
using System.Text.Json.Nodes;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;

namespace ViralForge.Functions.Tests.Addon;

/// <summary>
/// GET and PUT /jobs/{id}/script: the sidebar reads the script of a row waiting for a script check (Review Script on)
/// and saves the edit, which lets the video go on; identity tokens only, bad input answered with what is wrong.
/// </summary>
public sealed class AddonScriptTests
{
    [Fact]
    public async Task The_script_of_a_row_waiting_for_a_check_is_answered_with_its_version_and_the_card_limit()
    {
        await using var addon = await AddonHost.StartAsync();
        var id = await WaitingAsync(addon);

        var (response, body) = await addon.SendAsync(HttpMethod.Get, $"/jobs/{id}/script", addon.IdentityToken());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var written = await WrittenAsync(addon, id);
        Assert.Equal(id.ToString(), (string)body!["jobId"]!);
        Assert.Equal(1, (int)body["generation"]!);
        Assert.Equal(JobStatus.ScriptReview, (string)body["status"]!);
        Assert.Equal(written.Title, (string)body["title"]!);
        Assert.Equal(written.Hook, (string)body["hook"]!);
        Assert.Equal(written.Beats.Select(b => (b.Narration, b.CardText)),
            body["beats"]!.AsArray().Select(b => ((string)b!["narration"]!, (string)b["cardText"]!)));
        Assert.Equal(written.CallToAction, (string)body["callToAction"]!);
        Assert.Equal(6, (int)body["maxCardWords"]!);
    }

    [Fact]
    public async Task Saving_the_edit_continues_the_row_once_and_records_the_google_account()
    {
        await using var addon = await AddonHost.StartAsync();
        var id = await WaitingAsync(addon);
        var (_, shown) = await addon.SendAsync(HttpMethod.Get, $"/jobs/{id}/script", addon.IdentityToken());
        shown!["beats"]![0]!["narration"] = "Said the way Ana wants it.";
        var edit = Edit(shown);

        var (first, saved) = await addon.SendAsync(HttpMethod.Put, $"/jobs/{id}/script", addon.IdentityToken(), edit);
        var (second, again) = await addon.SendAsync(HttpMethod.Post, $"/jobs/{id}/script", addon.IdentityToken(), edit);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(("continued", "visuals"), ((string)saved!["outcome"]!, (string)saved["status"]!));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("already-continued", (string)again!["outcome"]!);
        Assert.Equal("Said the way Ana wants it.", (await CompletedScriptAsync(addon, id)).Beats[0].Narration);
        Assert.Equal(1L, await addon.Host.Database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = 'vf-visuals'"));
        Assert.Contains(await addon.Host.Get<IJobStore>().ListEventsAsync(id, CancellationToken.None),
            e => e.Message == $"script checked by {AddonHost.Ana} (edited)");
    }

    [Fact]
    public async Task An_edit_with_an_empty_beat_or_a_long_card_is_a_400_naming_each_problem_and_saves_nothing()
    {
        await using var addon = await AddonHost.StartAsync();
        var id = await WaitingAsync(addon);
        var (_, shown) = await addon.SendAsync(HttpMethod.Get, $"/jobs/{id}/script", addon.IdentityToken());
        shown!["beats"]![0]!["narration"] = "";
        shown["beats"]![0]!["cardText"] = "one two three four five six seven";

        var (response, problem) = await addon.SendAsync(HttpMethod.Put, $"/jobs/{id}/script", addon.IdentityToken(), Edit(shown));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["The narration of beat 1 is empty.", "The card text of beat 1 has 7 words; keep it to 6."],
            problem!["problems"]!.AsArray().Select(p => (string)p!));
        Assert.StartsWith("The script was not saved: The narration of beat 1 is empty.", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal(JobStatus.ScriptReview, (await addon.Host.Get<IJobStore>().GetAsync(id, CancellationToken.None))!.Status);
        Assert.Equal(0L, await addon.Host.Database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = 'vf-visuals'"));
    }

    [Theory]
    [InlineData("not json", "The request body is not the JSON expected")]
    [InlineData("""{"title":"t","hook":"h","beats":[{"narration":"n","cardText":"c"}]}""", "generation is missing")]
    public async Task A_malformed_save_is_a_400_that_says_what_is_wrong(string body, string detail)
    {
        await using var addon = await AddonHost.StartAsync();
        var id = await WaitingAsync(addon);

        var (response, problem) = await addon.SendAsync(HttpMethod.Put, $"/jobs/{id}/script", addon.IdentityToken(), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(detail, (string)problem!["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_not_waiting_for_a_check_is_a_409_and_an_unknown_job_a_404()
    {
        await using var addon = await AddonHost.StartAsync();
        var (_, submitted) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three tips for sourdough", "30")]));
        var queued = (string)submitted!["results"]![0]!["jobId"]!;

        var (notWaiting, conflict) = await addon.SendAsync(HttpMethod.Get, $"/jobs/{queued}/script", addon.IdentityToken());
        var (save, saveConflict) = await addon.SendAsync(HttpMethod.Put, $"/jobs/{queued}/script", addon.IdentityToken(),
            """{"generation":1,"title":"t","hook":"h","beats":[{"narration":"n","cardText":"c"}],"callToAction":""}""");
        var (unknown, _) = await addon.SendAsync(HttpMethod.Get, $"/jobs/{Guid.NewGuid()}/script", addon.IdentityToken());
        var (garbage, _) = await addon.SendAsync(HttpMethod.Get, "/jobs/not-a-job/script", addon.IdentityToken());

        Assert.Equal(HttpStatusCode.Conflict, notWaiting.StatusCode);
        Assert.Equal("This row's script is not waiting for a check (the job is queued).", (string)conflict!["detail"]!);
        Assert.Equal(HttpStatusCode.Conflict, save.StatusCode);
        Assert.Contains("not waiting for a check", (string)saveConflict!["detail"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, garbage.StatusCode);
    }

    [Theory]
    [InlineData("none", HttpStatusCode.Unauthorized)]
    [InlineData("api-key", HttpStatusCode.Unauthorized)]
    [InlineData("expired", HttpStatusCode.Unauthorized)]
    [InlineData("not-allowed", HttpStatusCode.Forbidden)]
    public async Task Reading_or_saving_a_script_needs_the_identity_token_of_an_allowed_person(string credential, HttpStatusCode expected)
    {
        await using var addon = await AddonHost.StartAsync();
        var id = await WaitingAsync(addon);
        var (_, shown) = await addon.SendAsync(HttpMethod.Get, $"/jobs/{id}/script", addon.IdentityToken());
        var bearer = credential switch
        {
            "none" => null,
            "api-key" => await addon.IssueKeyAsync(),
            "expired" => addon.Google.Mint(AddonHost.IdentityClaims(AddonHost.Ana, TimeProvider.System.GetUtcNow().AddHours(-3))),
            _ => addon.IdentityToken("bob@example.com"),
        };

        var (read, _) = await addon.SendAsync(HttpMethod.Get, $"/jobs/{id}/script", bearer);
        var (save, _) = await addon.SendAsync(HttpMethod.Put, $"/jobs/{id}/script", bearer, Edit(shown!));

        Assert.Equal(expected, read.StatusCode);
        Assert.Equal(expected, save.StatusCode);
        Assert.Equal(JobStatus.ScriptReview, (await addon.Host.Get<IJobStore>().GetAsync(id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task The_script_endpoints_are_not_served_without_an_oauth_client_id()
    {
        await using var addon = await AddonHost.StartAsync(settings: new Dictionary<string, string?> { ["Addon:OAuthClientId"] = null });

        var (read, _) = await addon.SendAsync(HttpMethod.Get, $"/jobs/{Guid.NewGuid()}/script", addon.IdentityToken());
        var (save, _) = await addon.SendAsync(HttpMethod.Put, $"/jobs/{Guid.NewGuid()}/script", addon.IdentityToken(), "{}");

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, save.StatusCode);
    }

    /// <summary>Submits a row with Review Script on and runs it through the real runner up to the script, which then waits.</summary>
    private static async Task<Guid> WaitingAsync(AddonHost addon)
    {
        var (_, submitted) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three tips for sourdough", "")],
            defaults: """{ "Platform": "youtube", "Duration": "15", "Review Script": "yes" }"""));
        var id = Guid.Parse((string)submitted!["results"]![0]!["jobId"]!);
        var runner = addon.Host.Get<StageRunner>();
        var delivery = new DeliveryInfo(null, null, 0, 1);
        foreach (var stage in new[] { StageName.Trends, StageName.Analysis, StageName.Script })
        {
            await runner.RunAsync(stage, new StageMessage(id, 1), delivery, CancellationToken.None);
        }
        Assert.Equal(JobStatus.ScriptReview, (await addon.Host.Get<IJobStore>().GetAsync(id, CancellationToken.None))!.Status);
        return id;
    }

    private static string Edit(JsonNode shown) => new JsonObject
    {
        ["generation"] = (int)shown["generation"]!,
        ["title"] = (string)shown["title"]!,
        ["hook"] = (string)shown["hook"]!,
        ["beats"] = shown["beats"]!.DeepClone(),
        ["callToAction"] = (string)shown["callToAction"]!,
    }.ToJsonString();

    private static async Task<VideoScript> WrittenAsync(AddonHost addon, Guid id)
    {
        var run = (await addon.Host.Get<IJobStore>().ListStageRunsAsync(id, CancellationToken.None)).Single(r => r.Stage == StageName.Script);
        return StageJson.FromElement<VideoScript>(run.Output!.Value);
    }

    private static async Task<VideoScript> CompletedScriptAsync(AddonHost addon, Guid id)
    {
        var run = await addon.Host.Get<IJobStore>().GetLatestCompletedAsync(id, StageName.Script, 1, CancellationToken.None);
        return StageJson.FromElement<VideoScript>(run!.Output!.Value);
    }
}

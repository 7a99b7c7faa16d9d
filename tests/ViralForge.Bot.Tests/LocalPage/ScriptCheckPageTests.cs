using System.Net;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;

namespace ViralForge.Bot.Tests.LocalPage;

/// <summary>The script check on the local review page (the Review Script gate) through the real HTTP pipeline.</summary>
public sealed class ScriptCheckPageTests
{
    [Fact]
    public async Task The_list_shows_scripts_waiting_for_a_check_and_the_script_page_shows_the_script_in_an_edit_form()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedScriptReviewAsync();

        var (list, _) = await host.OpenAsync("/review");
        var (page, token) = await host.OpenAsync($"/review/{job.Id}/script");
        var (video, _) = await host.OpenAsync($"/review/{job.Id}");

        Assert.Contains("Scripts waiting for a check (1)", list);
        Assert.Contains($"<a href=\"/review/{job.Id}/script\">Check the script</a>: it waits for you before anything is rendered.", video);
        Assert.Contains($"<a href=\"/review/{job.Id}/script\">Title: Three stretches for desk workers</a>", list);
        Assert.NotNull(token);
        Assert.Contains("<input type=\"text\" name=\"title\" maxlength=\"2000\" required value=\"Title: Three stretches for desk workers\">", page);
        Assert.Contains("<textarea name=\"hook\" rows=\"2\" maxlength=\"2000\" required>Your back hurts? Try this.</textarea>", page);
        Assert.Contains("<textarea name=\"narration-0\" rows=\"2\" maxlength=\"2000\" required>Roll your shoulders back five times.</textarea>", page);
        Assert.Contains("<input type=\"text\" name=\"card-1\" maxlength=\"2000\" value=\"Neck\">", page);
        Assert.Contains("<textarea name=\"cta\" rows=\"2\" maxlength=\"2000\">Follow for more quick fixes.</textarea>", page);
        Assert.Contains("<input type=\"hidden\" name=\"beats\" value=\"2\">", page);
        Assert.Contains("name=\"reviewer\" required", page);
        Assert.Contains(">Continue</button>", page);
    }

    [Fact]
    public async Task Continue_saves_the_edited_script_and_queues_visuals_once_however_often_it_is_sent()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedScriptReviewAsync();
        var (_, token) = await host.OpenAsync($"/review/{job.Id}/script");
        var fields = Fields(narration1: "Now tilt your head slowly to each side.", card1: "Tilt slowly");

        using var first = await host.PostFormAsync($"/review/{job.Id}/script", fields, token);
        using var second = await host.PostFormAsync($"/review/{job.Id}/script", Fields(narration1: "Something else"), token);

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        var (html, _) = await host.OpenAsync(first.Headers.Location!.ToString());
        Assert.Contains("The script of “Three stretches for desk workers” is checked; the video is being made from it.", html);
        var store = host.Get<IJobStore>();
        var run = await store.GetLatestCompletedAsync(job.Id, StageName.Script, 1, CancellationToken.None);
        var script = StageJson.FromElement<VideoScript>(run!.Output!.Value);
        Assert.Equal(new ScriptBeat("Now tilt your head slowly to each side.", "Tilt slowly"), script.Beats[1]);
        Assert.Equal(JobStatus.ForStage(StageName.Visuals), (await store.GetAsync(job.Id, CancellationToken.None))!.Status);
        Assert.Equal(1L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = 'vf-visuals'"));
        Assert.Contains(await store.ListEventsAsync(job.Id, CancellationToken.None), e => e.Message == "script checked by Ana Lima (edited)");
    }

    [Fact]
    public async Task An_invalid_edit_shows_what_is_wrong_keeps_the_text_and_saves_nothing()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedScriptReviewAsync();
        var (_, token) = await host.OpenAsync($"/review/{job.Id}/script");
        var before = await host.SnapshotAsync();
        var fields = Fields(narration1: "Kept as typed", card1: "one two three four five six seven");
        fields["narration-0"] = " ";

        using var response = await host.PostFormAsync($"/review/{job.Id}/script", fields, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<div role=\"alert\" class=\"problems\"><p>The script was not saved:</p>", html);
        Assert.Contains("<li>The narration of beat 1 is empty.</li>", html);
        Assert.Contains("<li>The card text of beat 2 has 7 words; keep it to 6.</li>", html);
        Assert.Contains(">Kept as typed</textarea>", html);
        Assert.Equal(before, await host.SnapshotAsync());
    }

    [Fact]
    public async Task A_check_without_a_name_is_refused_on_the_page_and_keeps_the_text()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedScriptReviewAsync();
        var (_, token) = await host.OpenAsync($"/review/{job.Id}/script");
        var before = await host.SnapshotAsync();
        var fields = Fields(narration1: "Kept as typed");
        fields.Remove("reviewer");

        using var response = await host.PostFormAsync($"/review/{job.Id}/script", fields, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<li>Fill in Your name: the check is recorded under it. Nothing was saved.</li>", html);
        Assert.Contains(">Kept as typed</textarea>", html);
        Assert.Equal(before, await host.SnapshotAsync());
    }

    [Theory]
    [InlineData("https://evil.example", true)]
    [InlineData(null, true)]
    [InlineData("", false)]
    public async Task A_check_from_another_site_or_without_the_form_token_is_refused_and_saves_nothing(string? origin, bool withToken)
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedScriptReviewAsync();
        var (_, token) = await host.OpenAsync($"/review/{job.Id}/script");
        var before = await host.SnapshotAsync();

        using var response = await host.PostFormAsync($"/review/{job.Id}/script", Fields(narration1: "Sneaked in"), withToken ? token : null, origin);

        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, $"answered {(int)response.StatusCode}");
        Assert.Equal(before, await host.SnapshotAsync());
    }

    [Fact]
    public async Task A_job_not_waiting_for_a_script_check_has_no_script_page_and_a_post_saves_nothing()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();
        var (_, token) = await host.OpenAsync("/review");
        var before = await host.SnapshotAsync();

        using var page = await host.Client.GetAsync($"/review/{job.Id}/script");
        using var post = await host.PostFormAsync($"/review/{job.Id}/script", Fields(narration1: "Sneaked in"), token);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("is not waiting for a check", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
        Assert.Equal(before, await host.SnapshotAsync());
    }

    private static Dictionary<string, string> Fields(string narration1, string card1 = "Neck") => new()
    {
        ["generation"] = "1",
        ["reviewer"] = "Ana Lima",
        ["beats"] = "2",
        ["title"] = "Title: Three stretches for desk workers",
        ["hook"] = "Your back hurts? Try this.",
        ["narration-0"] = "Roll your shoulders back five times.",
        ["card-0"] = "Shoulders",
        ["narration-1"] = narration1,
        ["card-1"] = card1,
        ["cta"] = "Follow for more quick fixes.",
    };
}

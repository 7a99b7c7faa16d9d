using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;
using ViralForge.Testing;

namespace ViralForge.Bot.Tests.LocalPage;

/// <summary>
/// The review bot's host (<see cref="BotHost"/>: Review:Mode bot on a real loopback port, its own database and work
/// folder) with a browser-like client for the review page, and jobs seeded straight into the store at review.
/// </summary>
public sealed partial class PageHost : IAsyncDisposable
{
    private PageHost(BotHost bot)
    {
        Bot = bot;
        BaseAddress = bot.BaseAddress;
        Cookies = new CookieContainer();
        Client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
    }

    /// <summary>The review bot's host (review-core's fixture) this page host wraps.</summary>
    public BotHost Bot { get; }

    public WebApplication App => Bot.App;

    public TestDatabase Database => Bot.Database;

    public TempFolder Folder => Bot.Folder;

    public Uri BaseAddress { get; }

    public CookieContainer Cookies { get; }

    /// <summary>A browser-like client: keeps cookies (the antiforgery cookie), does not follow redirects.</summary>
    public HttpClient Client { get; }

    /// <summary>This page's own origin, as a browser sends it in Origin.</summary>
    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    public T Get<T>() where T : notnull => Bot.Get<T>();

    public static async Task<PageHost> StartAsync(bool dispatch = true, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(await BotHost.StartAsync(settings: settings, dispatch: dispatch));

    /// <summary>
    /// A job that went through every stage before review and now waits for a decision, made directly in the store
    /// (fast and exact); the rendered "video" is a blob of known bytes so that Range answers can be checked.
    /// </summary>
    public async Task<Job> SeedAwaitingAsync(string topic = "Three stretches for desk workers", string hook = "Your back hurts? Try this.",
        Platforms platforms = Platforms.Both, DateTimeOffset? publishAt = null)
    {
        var store = Get<IJobStore>();
        var blobs = Get<IBlobStore>();
        var ct = CancellationToken.None;
        var sheet = Folder.File($"sheet-{Guid.NewGuid():N}.csv");
        var request = new VideoRequest(topic, platforms, 20, "clean", "default", "en", publishAt, ["#desk"], "");
        var job = (await store.SubmitAsync(sheet, Guid.NewGuid().ToString("N"), request, ct)).Job;
        await File.WriteAllTextAsync(sheet, $"Topic,Job ID\n\"{topic.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{job.Id}\n", ct);

        var script = new VideoScript($"Title: {topic}", hook,
            [new ScriptBeat("Roll your shoulders back five times.", "Shoulders"), new ScriptBeat("Stretch your neck gently.", "Neck")],
            "Follow for more quick fixes.", "Quick stretches.", ["desk"], 150, 20);
        var video = VideoBytes();
        var videoFile = Folder.File($"video-{job.Id:N}.mp4");
        await File.WriteAllBytesAsync(videoFile, video, ct);
        var thumbFile = Folder.File($"thumb-{job.Id:N}.jpg");
        await File.WriteAllBytesAsync(thumbFile, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9], ct);
        var videoKey = $"jobs/{job.Id:N}/render/g1/video.mp4";
        var thumbKey = $"jobs/{job.Id:N}/render/g1/thumbnail.jpg";
        await blobs.PutFileAsync(videoKey, videoFile, ct);
        await blobs.PutFileAsync(thumbKey, thumbFile, ct);

        foreach (var stage in new[] { StageName.Trends, StageName.Analysis, StageName.Script, StageName.Visuals, StageName.Voice, StageName.Render })
        {
            await store.ClaimStageAsync(job.Id, stage, 1, TimeSpan.FromMinutes(1), ct);
            var output = stage switch
            {
                StageName.Script => StageJson.ToElement(script),
                StageName.Visuals => StageJson.ToElement(new VisualsOutput([new StoredClip(0, $"jobs/{job.Id:N}/visuals/g1/beat-01.mp4", 20.5)])),
                StageName.Render => StageJson.ToElement(new RenderOutput(videoKey, 20.5, 1080, 1920, video.Length, thumbKey)),
                _ => JsonDocument.Parse("{}").RootElement,
            };
            await store.CompleteStageAsync(new StageCompletion(job.Id, stage, 1, output, [], JobStatus.ForStage(stage + 1), "seeded"), ct);
        }
        await store.SetStatusAsync(job.Id, JobStatus.ForStage(StageName.Review), StageName.Review, ct);
        await store.ClaimStageAsync(job.Id, StageName.Review, 1, TimeSpan.FromMinutes(1), ct);
        await store.AwaitApprovalAsync(job.Id, StageName.Review, 1, JsonDocument.Parse("{}").RootElement, ct);
        return (await store.GetAsync(job.Id, ct))!;
    }

    /// <summary>
    /// A job whose row asked for a script check (Review Script on) and whose script stage wrote its script and waits, as
    /// the script stage leaves it; made directly in the store.
    /// </summary>
    public async Task<Job> SeedScriptReviewAsync(string topic = "Three stretches for desk workers")
    {
        var store = Get<IJobStore>();
        var ct = CancellationToken.None;
        var sheet = Folder.File($"sheet-{Guid.NewGuid():N}.csv");
        var request = new VideoRequest(topic, Platforms.YouTube, 20, "clean", "default", "en", null, [], "", ReviewScript: true);
        var job = (await store.SubmitAsync(sheet, Guid.NewGuid().ToString("N"), request, ct)).Job;
        await File.WriteAllTextAsync(sheet, $"Topic,Job ID\n\"{topic.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{job.Id}\n", ct);
        foreach (var stage in new[] { StageName.Trends, StageName.Analysis })
        {
            await store.ClaimStageAsync(job.Id, stage, 1, TimeSpan.FromMinutes(1), ct);
            await store.CompleteStageAsync(new StageCompletion(job.Id, stage, 1, JsonDocument.Parse("{}").RootElement, [], JobStatus.ForStage(stage + 1), "seeded"), ct);
        }
        await store.ClaimStageAsync(job.Id, StageName.Script, 1, TimeSpan.FromMinutes(1), ct);
        await store.AwaitApprovalAsync(job.Id, StageName.Script, 1, StageJson.ToElement(SeededScript(topic)), ct);
        await store.SetStatusAsync(job.Id, JobStatus.ScriptReview, StageName.Script, ct);
        return (await store.GetAsync(job.Id, ct))!;
    }

    /// <summary>The script <see cref="SeedScriptReviewAsync"/> leaves waiting.</summary>
    public static VideoScript SeededScript(string topic) => new($"Title: {topic}", "Your back hurts? Try this.",
        [new ScriptBeat("Roll your shoulders back five times.", "Shoulders"), new ScriptBeat("Stretch your neck gently.", "Neck")],
        "Follow for more quick fixes.", "Quick stretches.", ["desk"], 150, 20);

    /// <summary>Posts a form to a page path the way the page's browser would: same Origin, the form token when given.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, IReadOnlyDictionary<string, string> fields, string? formToken, string? origin = "")
    {
        var form = new Dictionary<string, string>(fields);
        if (formToken is not null)
        {
            form["__RequestVerificationToken"] = formToken;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin.Length == 0 ? Origin : origin);
        }
        return await Client.SendAsync(request);
    }

    /// <summary>The bytes every seeded video holds: 64 KiB of a known pattern.</summary>
    public static byte[] VideoBytes() => Enumerable.Range(0, 65536).Select(i => (byte)(i * 7 % 251)).ToArray();

    /// <summary>Opens a page as a browser would and returns its HTML and the antiforgery form token in it (null when it has none).</summary>
    public async Task<(string Html, string? FormToken)> OpenAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        var match = TokenField().Match(html);
        return (html, match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null);
    }

    /// <summary>Posts a decision form the way the page's browser would: same Origin, the form token when given.</summary>
    public async Task<HttpResponseMessage> PostDecisionAsync(Guid jobId, IReadOnlyDictionary<string, string> fields, string? formToken,
        string? origin = "", Action<HttpRequestMessage>? adjust = null)
    {
        var form = new Dictionary<string, string>(fields);
        if (formToken is not null)
        {
            form["__RequestVerificationToken"] = formToken;
        }
        var request = new HttpRequestMessage(HttpMethod.Post, $"/review/{jobId}/decision") { Content = new FormUrlEncodedContent(form) };
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin.Length == 0 ? Origin : origin);
        }
        adjust?.Invoke(request);
        return await Client.SendAsync(request);
    }

    /// <summary>Every row of every table, as text: two equal snapshots mean nothing in the database changed.</summary>
    public async Task<string> SnapshotAsync()
    {
        var tables = new List<string>();
        await using (var list = Database.DataSource.CreateCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        var snapshot = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            await using var rows = Database.DataSource.CreateCommand($"SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM \"{table}\" t");
            snapshot.Append("== ").Append(table).Append('\n').Append((string)(await rows.ExecuteScalarAsync())!).Append('\n');
        }
        return snapshot.ToString();
    }

    public Task<Job> WaitForJobAsync(Guid id, Func<Job, bool> done, TimeSpan timeout) => Bot.WaitForJobAsync(id, done, timeout);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Bot.DisposeAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

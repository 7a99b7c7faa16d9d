using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Spectre.Console;
using ViralForge.Bot;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Stages;
using ViralForge.Functions;

namespace ViralForge.Cli;

/// <summary>
/// `vf bench review`: how fast the review bot acknowledges Slack button clicks, which Slack wants answered with a 200
/// within 3 s (the decision's work belongs on the task queue, not in the request). Runs the functions host with the
/// review bot in this process, Slack pointed at a loopback sink the benchmark serves itself, on a scratch database with
/// the queue's dispatcher off, so only the acknowledgement path is measured and the apply tasks stay queued. Jobs are put
/// straight into "awaiting review" through the ports (no rendering), then signed block_actions approve clicks go over
/// real HTTP: one per job sequentially, as many again on fresh jobs 16 at a time, and a second click on each
/// sequential job, which must be told "Already decided". With --surface teams the clicks are Bot Framework invokes of
/// the confirmed approve, with a Connector token signed by a key the sink serves as Bot Framework's OpenID metadata.
/// </summary>
public static class ReviewBenchmark
{
    /// <summary>Slack's limit for acknowledging an interaction.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    public const int Concurrency = 16;

    /// <summary>Clicks before measuring, 16 at a time, so JIT, the connection pools and the database are warm.</summary>
    private const int WarmUp = 2 * Concurrency;

    private const string ReviewerName = "Bench";
    private const string Title = "Why octopuses have three hearts";

    /// <param name="surface">slack or teams: whose signed clicks are sent.</param>
    /// <param name="database">A migrated or empty database to run in; null makes a scratch one next to VF_DATABASE_URL's.</param>
    public static async Task<int> RunAsync(int clicks, IAnsiConsole console, CancellationToken cancellationToken, string surface = "slack", string? database = null)
    {
        if (clicks < 1)
        {
            console.MarkupLineInterpolated($"[red]--clicks must be at least 1, not {clicks}.[/]");
            return 2;
        }
        if (surface is not ("slack" or "teams"))
        {
            console.MarkupLineInterpolated($"[red]--surface must be slack or teams, not '{surface}'.[/]");
            return 2;
        }
        database ??= await LocalRuntime.CreateScratchDatabaseAsync("viralforge_bench_review", cancellationToken);
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
        using IClickSurface chat = surface == "teams" ? new TeamsClicks(baseUrl) : new SlackClicks(baseUrl);
        var answers = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var settings = new Dictionary<string, string?>
        {
            [Adapters.Postgres.PostgresConnection.EnvironmentVariable] = database,
            ["ViralForge:Review:Mode"] = "bot",
            ["ViralForge:Review:PageBaseUrl"] = baseUrl.ToString(),
            ["ViralForge:Review:Reviewers:0"] = chat.ReviewerId,
            // Jobs and apply tasks stay where the click left them: only the acknowledgement is measured.
            ["ViralForge:Queue:RunDispatcher"] = "false",
        };
        chat.AddSettings(settings);

        // The port is chosen before the host starts because the chat settings name the sink's address.
        var app = FunctionsApp.Create([], builder =>
        {
            builder.WebHost.UseUrls(baseUrl.GetLeftPart(UriPartial.Authority));
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.None);
            builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
            builder.Services.AddReviewBot(builder.Configuration);
        }, app =>
        {
            app.MapReviewBot();
            chat.MapSink(app, answers);
        });
        await using var host = new RunningHost(app);
        await app.StartAsync(cancellationToken);

        var services = app.Services;
        var store = services.GetRequiredService<IJobStore>();
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        // No retries: a click answered other than 200 is what the benchmark counts, not something to paper over.
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency * 2 }) { BaseAddress = baseUrl };
        var sheetId = "bench-review-" + Guid.NewGuid().ToString("N");
        var failures = new ConcurrentQueue<string>();

        console.MarkupLineInterpolated($"Surface: {chat.Description}");
        console.MarkupLineInterpolated($"Host and sink: {baseUrl} (loopback HTTP, dispatcher off)");
        console.MarkupLineInterpolated($"Putting {WarmUp + 2 * clicks} jobs into review (not timed)...");
        var warmJobs = await AwaitingReviewAsync(store, sheetId, WarmUp, cancellationToken);
        var sequentialJobs = await AwaitingReviewAsync(store, sheetId, clicks, cancellationToken);
        var concurrentJobs = await AwaitingReviewAsync(store, sheetId, clicks, cancellationToken);

        // One signed click, timed from sending to the answer's end; the click id names what the clicker is told.
        async Task<double> ClickAsync(Guid jobId, string click)
        {
            using var request = chat.Click(jobId, click);
            var started = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await chat.ReadAnswerAsync(click, response, answers, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Enqueue($"{click} on job {jobId} was answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            return elapsed;
        }

        async Task<(double[] Sorted, TimeSpan Wall)> PhaseAsync(IReadOnlyList<Guid> jobs, string phase, int parallel)
        {
            var latencies = new double[jobs.Count];
            var wall = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, jobs.Count),
                new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken },
                async (i, _) => latencies[i] = await ClickAsync(jobs[i], $"{phase}-{i}"));
            wall.Stop();
            Array.Sort(latencies);
            return (latencies, wall.Elapsed);
        }

        console.MarkupLineInterpolated($"warm-up: {WarmUp} clicks (not counted in the figures)");
        await PhaseAsync(warmJobs, "warm", Concurrency);
        console.MarkupLineInterpolated($"sequential: {clicks} approve clicks, one at a time");
        var sequential = await PhaseAsync(sequentialJobs, "seq", 1);
        console.MarkupLineInterpolated($"concurrent: {clicks} approve clicks on fresh jobs, {Concurrency} at a time");
        var concurrent = await PhaseAsync(concurrentJobs, "conc", Concurrency);
        console.MarkupLineInterpolated($"double click: a second click on each sequential job, {Concurrency} at a time");
        var second = await PhaseAsync(sequentialJobs, "again", Concurrency);

        // A Slack clicker hears the outcome through response_url, off the request; give the responder time to catch up.
        var expectedAnswers = WarmUp + 3 * clicks;
        var waiting = Stopwatch.StartNew();
        while (answers.Count < expectedAnswers && waiting.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50, cancellationToken);
        }
        var firstApproved = Enumerable.Range(0, clicks)
            .Sum(i => (Said(answers, $"seq-{i}", again: false) ? 1 : 0) + (Said(answers, $"conc-{i}", again: false) ? 1 : 0));
        var alreadyDecided = Enumerable.Range(0, clicks).Count(i => Said(answers, $"again-{i}", again: true));

        Guid[] allJobs = [.. warmJobs, .. sequentialJobs, .. concurrentJobs];
        var decisions = await ScalarAsync(dataSource, "SELECT count(*) FROM review_decisions WHERE job_id = ANY(@jobs)", ("jobs", allJobs), cancellationToken);
        var doubled = await ScalarAsync(dataSource,
            "SELECT count(*) FROM (SELECT job_id FROM review_decisions WHERE job_id = ANY(@jobs) GROUP BY job_id, generation HAVING count(*) > 1) d",
            ("jobs", allJobs), cancellationToken);
        var applyTasks = await ScalarAsync(dataSource, "SELECT count(*) FROM tasks WHERE queue = @queue", ("queue", ReviewDesk.DecisionQueue), cancellationToken);

        var totalClicks = WarmUp + 3 * clicks;
        Report(console, "sequential", sequential.Sorted, sequential.Wall);
        Report(console, "concurrent", concurrent.Sorted, concurrent.Wall);
        Report(console, "double click", second.Sorted, second.Wall);
        console.WriteLine($"clicks answered 200: {totalClicks - failures.Count} of {totalClicks}");
        console.WriteLine($"decisions recorded: {decisions} for {allJobs.Length} jobs ({WarmUp} warm-up)");
        console.WriteLine($"jobs with two decisions: {doubled}");
        console.WriteLine($"apply tasks queued: {applyTasks}");
        console.WriteLine($"first clicks told \"Approved by\": {firstApproved} of {2 * clicks}");
        console.WriteLine($"second clicks told \"Already decided\": {alreadyDecided} of {clicks}");
        console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:0} MB");

        var problems = new List<string>(failures.Take(5));
        if (failures.Count > 5)
        {
            problems.Add($"and {failures.Count - 5} more clicks not answered 200");
        }
        if (doubled > 0)
        {
            problems.Add($"{doubled} jobs got two decisions");
        }
        if (decisions != allJobs.Length)
        {
            problems.Add($"{decisions} decisions recorded for {allJobs.Length} clicked jobs");
        }
        if (alreadyDecided != clicks)
        {
            problems.Add($"{clicks - alreadyDecided} second clicks not told \"Already decided\"");
        }
        foreach (var problem in problems)
        {
            console.MarkupLineInterpolated($"[red]FAILED: {problem}[/]");
        }
        if (problems.Count > 0)
        {
            return 1;
        }
        return 0;
    }

    private static void Report(IAnsiConsole console, string phase, double[] sorted, TimeSpan wall)
    {
        // One figure a line, as bench queue prints them: short enough not to wrap in an 80-column terminal.
        console.WriteLine($"{phase} ack latency p50: {Percentile(sorted, 0.50):0.0} ms");
        console.WriteLine($"{phase} ack latency p95: {Percentile(sorted, 0.95):0.0} ms");
        console.WriteLine($"{phase} ack latency p99: {Percentile(sorted, 0.99):0.0} ms (Slack's budget: {Budget.TotalMilliseconds:0} ms)");
        console.WriteLine($"{phase} ack latency max: {sorted[^1]:0.0} ms");
        console.WriteLine($"{phase} throughput: {sorted.Length / wall.TotalSeconds:0} clicks/s ({sorted.Length} clicks in {wall.TotalSeconds:0.00} s)");
    }

    /// <summary>Jobs whose generation 1 review run waits for a decision, as the review stage leaves them, made through the ports.</summary>
    private static async Task<Guid[]> AwaitingReviewAsync(IJobStore store, string sheetId, int count, CancellationToken cancellationToken)
    {
        var ids = new Guid[count];
        var request = new VideoRequest(Title, Platforms.Both, 30, "facts", "default", "en", null, [], "");
        var pending = StageJson.ToElement(new ReviewOutput("pending", "", null));
        for (var i = 0; i < count; i++)
        {
            var job = (await store.SubmitAsync(sheetId, Guid.NewGuid().ToString("N"), request, cancellationToken)).Job;
            await store.ClaimStageAsync(job.Id, StageName.Review, job.Generation, TimeSpan.FromMinutes(10), cancellationToken);
            await store.AwaitApprovalAsync(job.Id, StageName.Review, job.Generation, pending, cancellationToken);
            await store.SetStatusAsync(job.Id, JobStatus.ForStage(StageName.Review), StageName.Review, cancellationToken);
            ids[i] = job.Id;
        }
        return ids;
    }

    /// <summary>A first click was told it decided; a second one that it was already decided (by the first).</summary>
    private static bool Said(ConcurrentDictionary<string, string> answers, string click, bool again) =>
        answers.TryGetValue(click, out var text)
        && text.Contains(again ? "Already decided: Approved by " + ReviewerName : "Approved by " + ReviewerName, StringComparison.Ordinal)
        && (again || !text.Contains("Already decided", StringComparison.Ordinal));

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, (string Name, object Value) parameter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>One chat surface's side of the benchmark: its settings, the sink playing its servers, and its signed clicks.</summary>
    private interface IClickSurface : IDisposable
    {
        /// <summary>What is sent, for the first line of the output.</summary>
        string Description { get; }

        /// <summary>The clicker's id as the surface reports it, put on Review:Reviewers.</summary>
        string ReviewerId { get; }

        void AddSettings(Dictionary<string, string?> settings);

        void MapSink(WebApplication app, ConcurrentDictionary<string, string> answers);

        /// <summary>A click on the card's Approve, as the surface sends it; <paramref name="click"/> names what the clicker is told.</summary>
        HttpRequestMessage Click(Guid jobId, string click);

        /// <summary>Records what the clicker is told when the answer itself says it (Teams); Slack says it through response_url.</summary>
        Task ReadAnswerAsync(string click, HttpResponseMessage response, ConcurrentDictionary<string, string> answers, CancellationToken cancellationToken);
    }

    /// <summary>
    /// Slack: a generated signing secret and bot token, the Web API and every response_url played by the sink. A click is a
    /// block_actions payload, form-encoded and signed v0 with the secret over the timestamp and the raw body, as
    /// SlackInteractionHandler reads it; every click has its own action_ts and trigger_id, as Slack's do, so two clicks in
    /// one second are two requests and not a replay.
    /// </summary>
    private sealed class SlackClicks(Uri baseUrl) : IClickSurface
    {
        private const string Channel = "C0BENCH";
        private const string ApiPath = "/bench/slack/api";
        private const string RespondPath = "/bench/slack/respond";

        private readonly string secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

        public string Description => "Slack, signed block_actions approve clicks";

        public string ReviewerId => "U0BENCH";

        public void AddSettings(Dictionary<string, string?> settings)
        {
            settings["Slack:BotToken"] = "xoxb-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            settings["Slack:SigningSecret"] = secret;
            settings["Slack:Channel"] = Channel;
            settings["Slack:ApiBaseUrl"] = new Uri(baseUrl, ApiPath + "/").ToString();
        }

        public void MapSink(WebApplication app, ConcurrentDictionary<string, string> answers)
        {
            app.MapPost(ApiPath + "/{method}", () => Results.Text("""{"ok":true}""", "application/json"));
            // users.info names the clicker for the decision record (looked up once, then cached), as Slack answers it.
            app.MapGet(ApiPath + "/users.info", () => Results.Text("""{"ok":true,"user":{"id":"U0BENCH","name":"bench","real_name":"Bench Reviewer"}}""", "application/json"));
            app.MapPost(RespondPath + "/{click}", async (string click, HttpRequest request) =>
            {
                using var body = await JsonDocument.ParseAsync(request.Body);
                answers[click] = body.RootElement.TryGetProperty("text", out var text) ? text.GetString() ?? "" : "";
                return Results.Text("""{"ok":true}""", "application/json");
            });
        }

        public HttpRequestMessage Click(Guid jobId, string click)
        {
            var unique = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
            var payload = new Bot.Slack.SlackButtonClick(Bot.Slack.SlackCards.ApproveAction, jobId, Generation: 1,
                ReviewerId, ReviewerName, TeamId: "T0BENCH", AppId: "A0BENCH", Channel,
                CardTitle: Title, TriggerId: $"13345224609.738474920.{unique}", ActionTs: $"{now}.{unique[..6]}",
                ResponseUrl: new Uri(baseUrl, $"{RespondPath}/{click}").ToString());
            return Bot.Slack.SlackInteractionRequest.Signed(payload.ToPayloadJson(), secret, now);
        }

        public Task ReadAnswerAsync(string click, HttpResponseMessage response, ConcurrentDictionary<string, string> answers, CancellationToken cancellationToken) =>
            Task.CompletedTask;

        public void Dispose()
        {
        }
    }

    /// <summary>
    /// Teams: a generated RSA key served by the sink as Bot Framework's OpenID metadata and key set (endorsed for msteams),
    /// and a Connector token signed with it (issuer api.botframework.com, audience the generated app id, the serviceurl
    /// claim), minted once and sent with every click, as the Connector reuses its token. A click is the
    /// "adaptiveCard/action" invoke of the confirmed approve; Teams shows the card in the invoke's answer, which is read.
    /// </summary>
    private sealed class TeamsClicks(Uri baseUrl) : IClickSurface
    {
        private const string MetadataPath = "/bench/teams/openid";
        private const string KeysPath = "/bench/teams/keys";
        private const string ConversationId = "19:bench@thread.tacv2";

        private readonly RSA rsa = RSA.Create(2048);
        private readonly string appId = Guid.NewGuid().ToString();
        private readonly string kid = "bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        private readonly string serviceUrl = new Uri(baseUrl, "bench/teams/connector/").ToString();
        private string? token;

        public string Description => "Teams, adaptiveCard/action invokes with a Connector token";

        public string ReviewerId { get; } = Guid.NewGuid().ToString();

        public void AddSettings(Dictionary<string, string?> settings)
        {
            settings["Teams:AppId"] = appId;
            settings["Teams:AppPassword"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            settings["Teams:ServiceUrl"] = serviceUrl;
            settings["Teams:ConversationId"] = ConversationId;
            settings["Teams:OpenIdMetadataUrl"] = new Uri(baseUrl, MetadataPath).ToString();
            settings["Teams:TokenEndpoint"] = new Uri(baseUrl, "bench/teams/token").ToString();
        }

        public void MapSink(WebApplication app, ConcurrentDictionary<string, string> answers)
        {
            var metadata = new JsonObject
            {
                ["issuer"] = Bot.Teams.BotFrameworkTokenValidator.Issuer,
                ["jwks_uri"] = new Uri(baseUrl, KeysPath).ToString(),
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            }.ToJsonString();
            var p = rsa.ExportParameters(includePrivateParameters: false);
            var keys = new JsonObject
            {
                ["keys"] = new JsonArray(new JsonObject
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = kid,
                    ["n"] = Base64Url(p.Modulus!),
                    ["e"] = Base64Url(p.Exponent!),
                    ["endorsements"] = new JsonArray("msteams"),
                }),
            }.ToJsonString();
            app.MapGet(MetadataPath, () => Results.Text(metadata, "application/json"));
            app.MapGet(KeysPath, () => Results.Text(keys, "application/json"));
        }

        public HttpRequestMessage Click(Guid jobId, string click)
        {
            token ??= Mint();
            var review = new ReviewRequest(jobId, 1, Title, Title, "Octopuses have three hearts.", new Uri(baseUrl, $"bench/video/{jobId:N}.mp4"), 30, Platforms.Both, null);
            var activity = new JsonObject
            {
                ["type"] = "invoke",
                ["name"] = Bot.Teams.TeamsInvokeHandler.InvokeName,
                ["id"] = "f:" + Guid.NewGuid().ToString("N"),
                ["timestamp"] = TimeProvider.System.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
                ["serviceUrl"] = serviceUrl,
                ["channelId"] = "msteams",
                ["from"] = new JsonObject { ["id"] = "29:1" + ReviewerId, ["name"] = ReviewerName, ["aadObjectId"] = ReviewerId },
                ["recipient"] = new JsonObject { ["id"] = "28:" + appId, ["name"] = "ViralForge" },
                ["conversation"] = new JsonObject { ["id"] = ConversationId + ";messageid=1:activity-1", ["conversationType"] = "channel" },
                ["replyToId"] = "1:activity-1",
                ["value"] = new JsonObject
                {
                    ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = Bot.Teams.TeamsCards.Verbs.ApproveConfirmed, ["data"] = Bot.Teams.TeamsCards.Data(review) },
                    ["trigger"] = "manual",
                },
            };
            var request = new HttpRequestMessage(HttpMethod.Post, Bot.Teams.TeamsServiceCollectionExtensions.MessagesPath)
            {
                Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }

        public async Task ReadAnswerAsync(string click, HttpResponseMessage response, ConcurrentDictionary<string, string> answers, CancellationToken cancellationToken)
        {
            if (!response.IsSuccessStatusCode)
            {
                return;
            }
            // {"statusCode":200,"type":"application/vnd.microsoft.card.adaptive","value":card}: the card's text blocks are what the clicker reads.
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var texts = new List<string>();
            if (answer.RootElement.TryGetProperty("value", out var card) && card.ValueKind == JsonValueKind.Object
                && card.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Array)
            {
                texts.AddRange(body.EnumerateArray()
                    .Where(b => b.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                    .Select(b => b.GetProperty("text").GetString()!));
            }
            answers[click] = string.Join("\n", texts);
        }

        public void Dispose() => rsa.Dispose();

        private string Mint()
        {
            var now = TimeProvider.System.GetUtcNow();
            var header = new JsonObject { ["alg"] = "RS256", ["kid"] = kid, ["typ"] = "JWT" };
            var claims = new JsonObject
            {
                ["serviceurl"] = serviceUrl,
                ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
                ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
                ["iss"] = Bot.Teams.BotFrameworkTokenValidator.Issuer,
                ["aud"] = appId,
            };
            var input = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
            var signature = rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return input + "." + Base64Url(signature);
        }

        private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Functions;
using ViralForge.Testing;

namespace ViralForge.Bot.Tests;

/// <summary>
/// The functions host with the review bot (AddReviewBot / MapReviewBot), as the bot's Program builds it, on a loopback
/// port with its own database, work folder and local queue, in review mode "bot". Tests add services (a recording
/// IReviewPoster, a Slack or Teams client pointed at WireMock) and settings; jobs run the real local pipeline.
/// </summary>
public sealed class BotHost : IAsyncDisposable
{
    /// <summary>The local queue's bearer token: what the dispatcher sends and every task endpoint checks.</summary>
    public const string Token = "bot-test-token-0123456789abcdef0123456789abcdef";

    /// <summary>Long enough for a short video's eight stages on a busy two-core machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private BotHost(WebApplication app, TestDatabase db, TempFolder folder)
    {
        App = app;
        Database = db;
        Folder = folder;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public WebApplication App { get; }

    public TestDatabase Database { get; }

    public TempFolder Folder { get; }

    /// <summary>An HttpClient to this host (no credentials; see <see cref="PostTaskAsync"/>).</summary>
    public HttpClient Client { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    public IServiceProvider Services => App.Services;

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <param name="services">Runs after AddReviewBot and before the core and the adapters: a port registered here stands over the local adapter.</param>
    /// <param name="settings">Configuration keys such as "ViralForge:Review:Reviewers:0", added over the defaults.</param>
    /// <param name="dispatch">False: tasks stay in the queue table, nothing is delivered.</param>
    public static async Task<BotHost> StartAsync(
        Action<IServiceCollection>? services = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        string reviewMode = "bot",
        bool dispatch = true,
        string url = "http://127.0.0.1:0")
    {
        var db = await TestDatabase.CreateAsync();
        var folder = new TempFolder();
        try
        {
            var app = FunctionsApp.Create([], builder =>
            {
                builder.WebHost.UseUrls(url);
                builder.Logging.ClearProviders();
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["VF_DATABASE_URL"] = db.ConnectionString,
                    ["VF_LOCAL_TASK_TOKEN"] = Token,
                    ["ViralForge:WorkFolder"] = folder.Path,
                    ["ViralForge:Review:Mode"] = reviewMode,
                    ["ViralForge:Queue:MinBackoff"] = "00:00:00.200",
                    ["ViralForge:Queue:MaxBackoff"] = "00:00:01",
                    ["ViralForge:Queue:MaxAttempts"] = "3",
                    ["ViralForge:Queue:RunDispatcher"] = dispatch ? "true" : "false",
                    // A ninth of the pixels of 1080x1920, as the functions tests' hosts: the same pipeline for far less
                    // ffmpeg CPU on a 2-core CI machine.
                    ["ViralForge:Media:Width"] = "360",
                    ["ViralForge:Media:Height"] = "640",
                });
                if (settings is not null)
                {
                    builder.Configuration.AddInMemoryCollection(settings);
                }
                builder.Services.AddReviewBot(builder.Configuration);
                services?.Invoke(builder.Services);
            }, app => app.MapReviewBot());
            await app.StartAsync();
            return new BotHost(app, db, folder);
        }
        catch
        {
            await db.DisposeAsync();
            folder.Dispose();
            throw;
        }
    }

    /// <summary>Writes a one-row CSV sheet (a short video) and submits it; returns the job's id.</summary>
    public async Task<Guid> SubmitAsync(string topic = "Three stretches for desk workers", int durationSeconds = 10, string notes = "")
    {
        var sheet = Get<ISheetRegistry>().Open(TestSheets.WriteOneRow(SheetPath, topic, durationSeconds, notes));
        var intake = await Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None);
        var row = Assert.Single(intake);
        return row.JobId ?? throw new InvalidOperationException($"The row was refused: {row.Error}");
    }

    /// <summary>The path of the sheet <see cref="SubmitAsync"/> wrote.</summary>
    public string SheetPath => Folder.File("sheet.csv");

    /// <summary>The sheet's rows as they stand now (Status, Error, ... as the product wrote them).</summary>
    public async Task<IReadOnlyList<SheetRow>> ReadSheetAsync() =>
        await Get<ISheetRegistry>().Open(SheetPath).ReadRowsAsync(CancellationToken.None);

    public async Task<Job> GetJobAsync(Guid id) =>
        await Get<IJobStore>().GetAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"No job {id}.");

    /// <summary>Waits until the job's generation has posted its video and waits for a decision.</summary>
    public Task WaitForReviewAsync(Guid id, int generation = 1) =>
        WaitUntilAsync(async () =>
        {
            var job = await GetJobAsync(id);
            if (job.IsTerminal)
            {
                throw new InvalidOperationException($"Job {id} ended {job.Status} before its review: {job.Error}");
            }
            return job.Generation == generation && await Core.Review.ReviewDecisions.IsAwaitingAsync(Get<IJobStore>(), job, CancellationToken.None);
        }, Patience, $"job {id} generation {generation} to wait for review");

    public async Task<Job> WaitForJobAsync(Guid id, Func<Job, bool> done, TimeSpan? timeout = null)
    {
        Job? last = null;
        await WaitUntilAsync(async () => done(last = await GetJobAsync(id)), timeout ?? Patience,
            () => $"job {id} (now {last?.Status} at {last?.Stage}, generation {last?.Generation}: {last?.Error})");
        return last!;
    }

    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(condition, timeout, () => what);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(100, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what()}.");
            }
        }
    }

    /// <summary>Posts a task body ({jobId, generation}) to one of this host's task endpoints, as the queue does.</summary>
    public Task<HttpResponseMessage> PostTaskAsync(string path, Guid jobId, int generation, string? token = Token) =>
        Client.PostTaskAsync(path, jobId, generation, token);

    /// <summary>The job's events, oldest first.</summary>
    public Task<IReadOnlyList<JobEvent>> EventsAsync(Guid id) => Get<IJobStore>().ListEventsAsync(id, CancellationToken.None);

    /// <summary>Runs a scalar query against this host's database.</summary>
    public Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) => Database.ScalarAsync<T>(sql, parameters);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Database.DisposeAsync();
        Folder.Dispose();
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Functions.Tests;

/// <summary>The real functions host on a loopback port, with its own database and work folder.</summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string Token = "functions-test-token-0123456789abcdef0123456789";

    private const string SmallFrameWidthKey = "ViralForge:Media:Width";

    private const string SmallFrameHeightKey = "ViralForge:Media:Height";

    /// <summary>The settings that give a host the real 1080x1920 frame instead of the tests' small one.</summary>
    public static IReadOnlyDictionary<string, string?> FullSizeFrame { get; } = new Dictionary<string, string?>
    {
        [SmallFrameWidthKey] = "1080",
        [SmallFrameHeightKey] = "1920",
    };

    private TestHost(WebApplication app, TestDatabase db, TempFolder folder)
    {
        App = app;
        Database = db;
        Folder = folder;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public WebApplication App { get; }

    public TestDatabase Database { get; }

    public TempFolder Folder { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<TestHost> StartAsync(
        string reviewMode = "auto", Action<IServiceCollection>? replace = null, bool dispatch = true, IReadOnlyDictionary<string, string?>? settings = null,
        string url = "http://127.0.0.1:0")
    {
        var db = await TestDatabase.CreateAsync();
        var folder = new TempFolder();
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
                ["ViralForge:Queue:MaxAttempts"] = "3",
                ["ViralForge:Queue:RunDispatcher"] = dispatch ? "true" : "false",
                // A ninth of the pixels of 1080x1920: the pipeline is the same, the ffmpeg CPU of every video these hosts
                // make is not, and on a 2-core CI machine it was most of the suite. The one test about the real frame
                // size passes 1080x1920 in its settings.
                [SmallFrameWidthKey] = "360",
                [SmallFrameHeightKey] = "640",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            replace?.Invoke(builder.Services);
        });
        await app.StartAsync();
        return new TestHost(app, db, folder);
    }

    /// <summary>A loopback port free right now, for a host whose URL must be known before it starts (the Cloud Tasks target).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Writes a CSV sheet into the work folder.</summary>
    public string WriteSheet(string csv, string name = "sheet.csv")
    {
        var path = Folder.File(name);
        File.WriteAllText(path, csv);
        return path;
    }

    public async Task<IReadOnlyList<Job>> WaitForJobsAsync(IEnumerable<Guid> ids, Func<Job, bool> done, TimeSpan timeout)
    {
        var store = Get<IJobStore>();
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var jobs = new List<Job>();
            foreach (var id in ids)
            {
                jobs.Add((await store.GetAsync(id, CancellationToken.None))!);
            }
            if (jobs.All(done))
            {
                return jobs;
            }
            try
            {
                await Task.Delay(200, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("Jobs did not finish: " + string.Join("; ", jobs.Select(j => $"{j.Id} {j.Status} {j.Stage} {j.Error}")));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Database.DisposeAsync();
        Folder.Dispose();
    }
}

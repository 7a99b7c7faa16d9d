using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Testing;

namespace ViralForge.Core.Tests.Review;

/// <summary>
/// The review core with no web host: the core (review mode bot), the PostgreSQL store and queue and the local
/// adapters in a plain service provider, with its own database and work folder. Nothing delivers the queue's tasks.
/// </summary>
public sealed class ReviewCoreHost : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private ReviewCoreHost(ServiceProvider services, TestDatabase db, TempFolder folder)
    {
        this.services = services;
        Database = db;
        Folder = folder;
    }

    public TestDatabase Database { get; }

    public TempFolder Folder { get; }

    public T Get<T>() where T : notnull => services.GetRequiredService<T>();

    /// <param name="settings">Configuration keys such as "ViralForge:Review:Reviewers:0", added over the defaults.</param>
    public static async Task<ReviewCoreHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var db = await TestDatabase.CreateAsync();
        var folder = new TempFolder();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ViralForge:WorkFolder"] = folder.Path,
                ["ViralForge:Review:Mode"] = "bot",
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var provider = new ServiceCollection()
            .AddLogging()
            .AddViralForgeCore(configuration)
            .AddPostgresStore(db.ConnectionString)
            .AddLocalAdapters()
            .AddSingleton<ITaskQueue, PostgresTaskQueue>()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        return new ReviewCoreHost(provider, db, folder);
    }

    /// <summary>Writes a one-row CSV sheet (a short video) and submits it; returns the job's id.</summary>
    public async Task<Guid> SubmitAsync()
    {
        var sheet = Get<ISheetRegistry>().Open(TestSheets.WriteOneRow(Folder.File("sheet.csv"), "Three stretches for desk workers", 10, ""));
        var row = Assert.Single(await Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None));
        return row.JobId ?? throw new InvalidOperationException($"The row was refused: {row.Error}");
    }

    public async Task<Job> GetJobAsync(Guid id) =>
        await Get<IJobStore>().GetAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"No job {id}.");

    public Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) => Database.ScalarAsync<T>(sql, parameters);

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await Database.DisposeAsync();
        Folder.Dispose();
    }
}

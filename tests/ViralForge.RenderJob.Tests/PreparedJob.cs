using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ViralForge.Adapters;
using ViralForge.Adapters.Postgres;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Testing;

namespace ViralForge.RenderJob.Tests;

/// <summary>
/// A real job brought up to the render stage by the stage runner (as the functions host would), with its render request
/// stored as the render stage's Cloud Run renderer stores it, and what to look at afterwards.
/// </summary>
internal static class PreparedJob
{
    /// <summary>What a Cloud Run execution would see, small media to keep FFmpeg quick, and only warnings logged.</summary>
    public static Dictionary<string, string?> Environment(TestDatabase db, TempFolder folder) => new()
    {
        ["VF_DATABASE_URL"] = db.ConnectionString,
        ["ViralForge__WorkFolder"] = folder.Path,
        ["ViralForge__Media__Width"] = "270",
        ["ViralForge__Media__Height"] = "480",
        ["ViralForge__Media__Preset"] = "ultrafast",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>The pipeline's side: the core, the job store and the local adapters, on the same work folder as the job.</summary>
    public static IHost CreatePipelineHost(TestDatabase db, Dictionary<string, string?> environment)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(RenderJobEntry.AsConfiguration(environment));
        builder.Services
            .AddViralForgeCore(builder.Configuration)
            .AddPostgresStore(db.ConnectionString)
            .AddLocalAdapters()
            .AddSingleton<ITaskQueue, PostgresTaskQueue>();
        return builder.Build();
    }

    /// <summary>A real job through intake and the stages before render, with the local providers (espeak-ng, FFmpeg).</summary>
    public static async Task<Guid> UpToVoiceAsync(IHost host, TempFolder folder)
    {
        var sheetPath = folder.File("sheet.csv");
        await File.WriteAllTextAsync(sheetPath, "Topic,Platform,Duration\nThree stretches for desk workers,youtube,10\n");
        var sheet = host.Services.GetRequiredService<ISheetRegistry>().Open(sheetPath);
        var id = (await host.Services.GetRequiredService<IntakeService>().SubmitAsync(sheet, CancellationToken.None)).Single().JobId!.Value;
        var runner = host.Services.GetRequiredService<StageRunner>();
        foreach (var stage in new[] { StageName.Trends, StageName.Analysis, StageName.Script, StageName.Visuals, StageName.Voice })
        {
            var outcome = await runner.RunAsync(stage, new StageMessage(id, 1), DeliveryInfo.Direct, CancellationToken.None);
            Assert.True(outcome is StageOutcome.Completed, $"{stage.Wire()}: {outcome}");
        }
        return id;
    }

    /// <summary>The render stage's plan for the job, stored as render-request.json (optionally changed first).</summary>
    public static async Task<RenderWork> StoreRequestAsync(IHost host, TempFolder folder, Guid id, Func<RenderWork, RenderWork>? change = null)
    {
        var store = host.Services.GetRequiredService<IJobStore>();
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var job = (await store.GetAsync(id, CancellationToken.None))!;
        var scratch = Directory.CreateDirectory(folder.File($"plan-{Guid.NewGuid():N}")).FullName;
        var context = new StageContext(job, StageName.Render, 1, scratch, store, blobs);
        var stage = host.Services.GetServices<IStage>().OfType<RenderStage>().Single();
        var work = await stage.PlanAsync(context, CancellationToken.None);
        work = change?.Invoke(work) ?? work;
        await RenderJobBlobs.StoreAsync(blobs, RenderJobBlobs.Request(id, 1), work, CoreJson.Default.RenderWork, scratch, CancellationToken.None);
        return work;
    }

    public static Task<RenderedVideo?> ResultAsync(IHost host, TempFolder folder, Guid id) =>
        RenderJobBlobs.TryReadAsync(host.Services.GetRequiredService<IBlobStore>(), RenderJobBlobs.Result(id, 1), CoreJson.Default.RenderedVideo,
            Directory.CreateDirectory(folder.File($"read-{Guid.NewGuid():N}")).FullName, CancellationToken.None);

    public static Task<RenderFailure?> FailureAsync(IHost host, TempFolder folder, Guid id) =>
        RenderJobBlobs.TryReadAsync(host.Services.GetRequiredService<IBlobStore>(), RenderJobBlobs.Failure(id, 1), CoreJson.Default.RenderFailure,
            Directory.CreateDirectory(folder.File($"read-{Guid.NewGuid():N}")).FullName, CancellationToken.None);
}

/// <summary>
/// One test's render: its own database and folder, a job brought up to the render stage, its request stored, and the
/// job's environment naming it. Disposing drops all of it.
/// </summary>
internal sealed class PreparedRender : IAsyncDisposable
{
    private PreparedRender(TestDatabase db, TempFolder folder, Dictionary<string, string?> environment, IHost pipeline)
    {
        Db = db;
        Folder = folder;
        Environment = environment;
        Pipeline = pipeline;
    }

    public TestDatabase Db { get; }

    public TempFolder Folder { get; }

    /// <summary>What the job's execution sees; VF_JOB_ID and VF_GENERATION name <see cref="JobId"/> generation 1.</summary>
    public Dictionary<string, string?> Environment { get; }

    public IHost Pipeline { get; }

    public Guid JobId { get; private set; } = Guid.NewGuid();

    public RenderWork? Work { get; private set; }

    public IBlobStore Blobs => Pipeline.Services.GetRequiredService<IBlobStore>();

    /// <param name="withJob">False for an id no job or request exists for.</param>
    /// <param name="change">What to change in the render stage's plan before it is stored.</param>
    public static async Task<PreparedRender> CreateAsync(bool withJob = true, Func<RenderWork, RenderWork>? change = null)
    {
        var db = await TestDatabase.CreateAsync();
        var folder = new TempFolder();
        var environment = PreparedJob.Environment(db, folder);
        var render = new PreparedRender(db, folder, environment, PreparedJob.CreatePipelineHost(db, environment));
        if (withJob)
        {
            render.JobId = await PreparedJob.UpToVoiceAsync(render.Pipeline, folder);
            render.Work = await PreparedJob.StoreRequestAsync(render.Pipeline, folder, render.JobId, change);
        }
        environment[RenderJobSettings.JobIdVariable] = render.JobId.ToString();
        environment[RenderJobSettings.GenerationVariable] = "1";
        return render;
    }

    public Task<int> RunJobAsync(TextWriter? errors = null) => RenderJobEntry.RunAsync([], Environment, errors ?? TextWriter.Null);

    public Task<RenderedVideo?> ResultAsync() => PreparedJob.ResultAsync(Pipeline, Folder, JobId);

    public Task<RenderFailure?> FailureAsync() => PreparedJob.FailureAsync(Pipeline, Folder, JobId);

    public async ValueTask DisposeAsync()
    {
        Pipeline.Dispose();
        Folder.Dispose();
        await Db.DisposeAsync();
    }
}


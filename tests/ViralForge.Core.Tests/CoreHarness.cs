using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Testing.InMemory;

namespace ViralForge.Core.Tests;

/// <summary>
/// The core's runner, saga and intake wired to in-memory ports and eight scripted stages, on a fake clock: what the
/// functions host builds, without PostgreSQL, files or a network, so a test runs in milliseconds.
/// </summary>
public sealed class CoreHarness
{
    public const string SheetId = "memory:ideas";

    public CoreHarness(Action<ViralForgeOptions>? configure = null)
    {
        // Scratch folders go under the work folder; keep them out of the test's current folder.
        Settings.WorkFolder = Path.Combine(Path.GetTempPath(), "vf-core-tests");
        configure?.Invoke(Settings);
        Store = new InMemoryJobStore(Time);
        Stages = StageOrder.InOrder.ToDictionary(s => s, s => new ScriptedStage(s, Compensations));
        var options = Microsoft.Extensions.Options.Options.Create(Settings);
        var tasks = new StageTasks(Queue);
        var statusWriter = new SheetStatusWriter(Store, Blobs, Sheets, Time, NullLogger<SheetStatusWriter>.Instance);
        Compensator = new Compensator(Store, Blobs, Stages.Values, statusWriter, NullLogger<Compensator>.Instance);
        Runner = new StageRunner(Store, Blobs, Stages.Values, tasks, Compensator, statusWriter, options, Time, NullLogger<StageRunner>.Instance);
        Intake = new IntakeService(Store, tasks, statusWriter, Compensator, NullLogger<IntakeService>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 9, 0, 0, TimeSpan.Zero));

    public ViralForgeOptions Settings { get; } = new();

    public InMemoryJobStore Store { get; }

    public InMemoryTaskQueue Queue { get; } = new();

    public InMemoryBlobStore Blobs { get; } = new();

    public InMemorySheetRegistry Sheets { get; } = new();

    public InMemorySheet Sheet => Sheets.Get(SheetId);

    /// <summary>Every stage's compensation, in the order they ran: (stage, generation).</summary>
    public List<(StageName Stage, int Generation)> Compensations { get; } = [];

    public IReadOnlyDictionary<StageName, ScriptedStage> Stages { get; }

    public StageRunner Runner { get; }

    public Compensator Compensator { get; }

    public IntakeService Intake { get; }

    public static VideoRequest Request(string topic = "Why cats knock things over") =>
        new(topic, Platforms.YouTube, 30, "clean", "default", "en", null, [], "");

    /// <summary>A queued job whose row (with its Job ID) is in <see cref="Sheet"/>; returns the job and its row number.</summary>
    public async Task<(Job Job, int Row)> NewJobAsync(string topic = "Why cats knock things over")
    {
        var job = (await Store.SubmitAsync(SheetId, $"hash-{topic}", Request(topic), CancellationToken.None)).Job;
        var row = Sheet.AddRow((SheetContract.Topic, topic), (SheetContract.JobId, job.Id.ToString()));
        return (job, row);
    }

    /// <summary>Delivers a stage task for the job's generation (or another one), as the queue would.</summary>
    public Task<StageOutcome> RunAsync(Job job, StageName stage, int? generation = null, int retryCount = 0, CancellationToken cancellationToken = default) =>
        Runner.RunAsync(stage, new StageMessage(job.Id, generation ?? job.Generation), new DeliveryInfo(StageTasks.QueueFor(stage), "t", retryCount, retryCount), cancellationToken);

    /// <summary>Delivers a task whose body is <paramref name="message"/>, such as one the runner queued itself.</summary>
    public Task<StageOutcome> DeliverAsync(StageName stage, StageMessage message, int retryCount = 0) =>
        Runner.RunAsync(stage, message, new DeliveryInfo(StageTasks.QueueFor(stage), "t", retryCount, retryCount), CancellationToken.None);

    /// <summary>Runs the stages from trends up to and including <paramref name="last"/>, each completing.</summary>
    public async Task RunThroughAsync(Job job, StageName last, int? generation = null)
    {
        foreach (var stage in StageOrder.InOrder.Where(s => s <= last))
        {
            Assert.IsType<StageOutcome.Completed>(await RunAsync(job, stage, generation));
        }
    }

    public async Task<Job> JobAsync(Guid id) => await Store.GetAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"no job {id}");

    public async Task<StageRun> RunOfAsync(Guid jobId, StageName stage, int generation = 1) =>
        (await Store.ListStageRunsAsync(jobId, CancellationToken.None)).Single(r => r.Stage == stage && r.Generation == generation);

    public async Task<IReadOnlyList<JobEvent>> EventsAsync(Guid jobId) => await Store.ListEventsAsync(jobId, CancellationToken.None);

    /// <summary>The stage tasks enqueued for a stage, as their messages.</summary>
    public IReadOnlyList<StageMessage> Enqueued(StageName stage) =>
        [.. Queue.Tasks.Where(t => t.Queue == StageTasks.QueueFor(stage)).Select(t => JsonSerializer.Deserialize(t.Body, CoreJson.Default.StageMessage)!)];
}

/// <summary>
/// A stage whose work a test decides. By default it completes without files, with the output the sheet writer reads
/// for render (a video key) and publish (a URL), and {"stage": name} for the others.
/// </summary>
public sealed class ScriptedStage(StageName name, List<(StageName Stage, int Generation)> compensations) : IStage
{
    private int runs;

    public StageName Name { get; } = name;

    /// <summary>The stage's work; replace it to fail, wait for approval, produce files or look at the context.</summary>
    public Func<StageContext, CancellationToken, Task<StageResult>> Work { get; set; } = (context, _) => Task.FromResult(context.Stage switch
    {
        StageName.Visuals => StageResult.Completed(new VisualsOutput([new StoredClip(0, context.BlobKey("beat-1.mp4"), 30)]), "visuals done"),
        StageName.Render => StageResult.Completed(new RenderOutput(context.BlobKey("video.mp4"), 30, 1080, 1920, 1), "render done"),
        StageName.Publish => StageResult.Completed(new PublishOutput([new PublishedVideo("youtube", $"https://youtu.be/{context.Job.Id:N}", null)]), "publish done"),
        _ => Output(context.Stage, $"{context.Stage.Wire()} done"),
    });

    /// <summary>Runs before the compensation is recorded; throw from it to make the compensation fail.</summary>
    public Action<CompensationContext>? OnCompensate { get; set; }

    public int Runs => Volatile.Read(ref runs);

    public static StageResult Output(StageName stage, string summary, params ProducedFile[] files)
    {
        using var output = JsonDocument.Parse($$"""{"stage":"{{stage.Wire()}}"}""");
        return new(StageResultKind.Completed, output.RootElement.Clone(), files, summary);
    }

    public Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref runs);
        return Work(context, cancellationToken);
    }

    public Task CompensateAsync(CompensationContext context, CancellationToken cancellationToken)
    {
        OnCompensate?.Invoke(context);
        lock (compensations)
        {
            compensations.Add((context.Run.Stage, context.Run.Generation));
        }
        return Task.CompletedTask;
    }
}

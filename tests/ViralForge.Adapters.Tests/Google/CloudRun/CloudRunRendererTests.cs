using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.Google.CloudRun;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Google.CloudRun;

/// <summary>
/// The renderer port's Cloud Run adapter against WireMock playing the Cloud Run Admin API, with a real (local) blob
/// store standing where Cloud Storage is, as the render job's execution sees it.
/// </summary>
public sealed class CloudRunRendererTests
{
    private const string ExecutionsPath = CloudRunServices.JobPath + "/executions";
    private const string RunPath = CloudRunServices.JobPath + ":run";

    [Fact]
    public async Task A_succeeded_execution_hands_back_the_outputs_it_stored_and_the_request_it_read()
    {
        await using var render = new RenderScene();
        NoExecutionsYet(render.Server);
        RunStarts(render.Server);
        var result = Result(render.Work);
        // The execution (played here) stores its result before Cloud Run reports it succeeded.
        ExecutionEnds(render.Server, render.Work.JobId, "CONDITION_SUCCEEDED", before: () =>
            render.StoreAsync(RenderJobBlobs.Result(render.Work.JobId, 1), result, CoreJson.Default.RenderedVideo));

        var rendered = await render.RenderAsync();

        Assert.Equal(result.Files.Select(f => f.Stored), rendered.Files.Select(f => f.Stored));
        Assert.All(rendered.Files, f => Assert.Null(f.LocalPath));
        var request = await RenderJobBlobs.TryReadAsync(render.Blobs, RenderJobBlobs.Request(render.Work.JobId, 1), CoreJson.Default.RenderWork, render.Folder.Path, CancellationToken.None);
        Assert.Equal(render.Work.Inputs, request!.Inputs);
        Assert.Equal(render.Work.Outputs, request.Outputs);
        Assert.Single(render.Server.LogEntries, e => e.RequestMessage.Method == "POST");
    }

    [Fact]
    public async Task A_redelivery_after_a_finished_render_collects_the_result_and_calls_cloud_run_not_at_all()
    {
        await using var render = new RenderScene();
        var result = Result(render.Work);
        await render.StoreAsync(RenderJobBlobs.Result(render.Work.JobId, 1), result, CoreJson.Default.RenderedVideo);

        var rendered = await render.RenderAsync();

        Assert.Equal(result.DurationSeconds, rendered.DurationSeconds);
        Assert.Empty(render.Server.LogEntries);
    }

    [Fact]
    public async Task An_execution_still_running_after_the_wait_hands_the_delivery_back_and_the_next_one_starts_no_other()
    {
        await using var render = new RenderScene(new Dictionary<string, string?> { ["Google:CloudRun:RenderWait"] = "00:00:00.200" });
        var running = CloudRunServices.ExecutionJson(CloudRunServices.Execution, null, jobId: render.Work.JobId);
        render.Server.Given(Request.Create().WithPath(ExecutionsPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"executions":[{{running}}]}"""));
        render.Server.Given(Request.Create().WithPath("/v2/" + CloudRunServices.Execution).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(running));

        var first = await Assert.ThrowsAsync<WorkStillRunningException>(render.RenderAsync);
        var second = await Assert.ThrowsAsync<WorkStillRunningException>(render.RenderAsync);

        Assert.Contains(CloudRunServices.Execution, first.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMilliseconds(20), second.RetryAfter);
        Assert.DoesNotContain(render.Server.LogEntries, e => e.RequestMessage.Method == "POST");
    }

    [Fact]
    public async Task While_the_execution_runs_its_stored_progress_is_passed_on_and_a_stale_one_from_an_earlier_execution_is_not()
    {
        await using var render = new RenderScene(new Dictionary<string, string?> { ["Google:CloudRun:RenderWait"] = "00:00:00.300" });
        var progressKey = RenderJobBlobs.Progress(render.Work.JobId, 1);
        // An earlier, failed execution got to 25 s: that figure must not be shown for the one now running.
        await render.StoreAsync(progressKey, new RenderProgress(25), CoreJson.Default.RenderProgress);
        var running = CloudRunServices.ExecutionJson(CloudRunServices.Execution, null, jobId: render.Work.JobId);
        render.Server.Given(Request.Create().WithPath(ExecutionsPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"executions":[{{running}}]}"""));
        var looks = 0;
        render.Server.Given(Request.Create().WithPath("/v2/" + CloudRunServices.Execution).UsingGet())
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                // The render job (played here) has encoded 7.5 s by the third look.
                if (Interlocked.Increment(ref looks) == 3)
                {
                    render.StoreAsync(progressKey, new RenderProgress(7.5), CoreJson.Default.RenderProgress).GetAwaiter().GetResult();
                }
                return new ResponseMessage
                {
                    StatusCode = 200,
                    Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json; charset=UTF-8") },
                    BodyData = new BodyData { DetectedBodyType = BodyType.String, BodyAsString = running },
                };
            }));
        var reported = new List<TimeSpan>();

        await Assert.ThrowsAsync<WorkStillRunningException>(() => render.RenderAsync(new SynchronousProgress(reported.Add)));

        Assert.True(looks >= 3, $"{looks} looks");
        Assert.NotEmpty(reported);
        Assert.All(reported, r => Assert.Equal(TimeSpan.FromSeconds(7.5), r));
    }

    [Fact]
    public async Task A_failed_execution_that_left_a_permanent_failure_fails_the_job_with_its_reason()
    {
        await using var render = new RenderScene();
        NoExecutionsYet(render.Server);
        RunStarts(render.Server);
        ExecutionEnds(render.Server, render.Work.JobId, "CONDITION_FAILED", before: () => render.StoreAsync(RenderJobBlobs.Failure(render.Work.JobId, 1),
            new RenderFailure(true, "The render plan is invalid: scenes[0].duration: must be more than 0."), CoreJson.Default.RenderFailure));

        var error = await Assert.ThrowsAsync<PermanentStageException>(render.RenderAsync);

        Assert.Equal("The render plan is invalid: scenes[0].duration: must be more than 0.", error.Message);
    }

    [Fact]
    public async Task A_failed_execution_with_a_transient_or_no_reason_is_retried_and_an_old_reason_is_not_reused()
    {
        await using var render = new RenderScene();
        NoExecutionsYet(render.Server);
        RunStarts(render.Server);
        ExecutionEnds(render.Server, render.Work.JobId, "CONDITION_FAILED", "Task viralforge-render-job-x7k2p-task0 failed: exit code 137 (out of memory)");
        // A permanent reason left by an earlier execution of this generation must not decide this one.
        await render.StoreAsync(RenderJobBlobs.Failure(render.Work.JobId, 1), new RenderFailure(true, "old reason"), CoreJson.Default.RenderFailure);

        var error = await Assert.ThrowsAsync<RenderExecutionException>(render.RenderAsync);

        Assert.IsNotAssignableFrom<PermanentStageException>(error);
        Assert.Contains("out of memory", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("old reason", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_render_job_that_cannot_be_started_is_a_transient_failure_that_says_so()
    {
        await using var render = new RenderScene();
        NoExecutionsYet(render.Server);
        render.Server.Given(Request.Create().WithPath(RunPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(403).WithBody("""{"error":{"code":403,"message":"Permission 'run.jobs.run' denied","status":"PERMISSION_DENIED"}}"""));

        var error = await Assert.ThrowsAsync<RenderExecutionException>(render.RenderAsync);

        Assert.StartsWith("could not start the render job:", error.Message, StringComparison.Ordinal);
        Assert.Contains("run.jobs.run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_result_is_a_clear_error_not_a_crash()
    {
        await using var render = new RenderScene();
        var path = render.Folder.File("bad.json");
        await File.WriteAllTextAsync(path, "{\"durationSeconds\": ");
        await render.Blobs.PutFileAsync(RenderJobBlobs.Result(render.Work.JobId, 1), path, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidDataException>(render.RenderAsync);

        Assert.Contains("render-result.json", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// One test's render: its own WireMock server playing Cloud Run, its own folder behind the blob store, a fresh job's work,
    /// and the adapter as production registers it.
    /// </summary>
    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool, after the assertions).</summary>
    private sealed class SynchronousProgress(Action<TimeSpan> report) : IProgress<TimeSpan>
    {
        public void Report(TimeSpan value) => report(value);
    }

    private sealed class RenderScene : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        public RenderScene(IDictionary<string, string?>? overrides = null) =>
            _services = CloudRunServices.Create(Server, overrides, Folder.Path);

        public WireMockServer Server { get; } = WireMockServer.Start();

        public TempFolder Folder { get; } = new();

        public RenderWork Work { get; } = CloudRunRendererTests.Work();

        public IBlobStore Blobs => _services.GetRequiredService<IBlobStore>();

        public Task<RenderedVideo> RenderAsync() =>
            _services.GetRequiredService<IRenderer>().RenderAsync(Work, Folder.File("scratch"), CancellationToken.None);

        public Task<RenderedVideo> RenderAsync(IProgress<TimeSpan> progress) =>
            _services.GetRequiredService<IRenderer>().RenderAsync(Work, Folder.File("scratch"), progress, CancellationToken.None);

        /// <summary>Stores what the render job's execution would, where the adapter looks for it.</summary>
        public Task StoreAsync<T>(string key, T value, JsonTypeInfo<T> type) =>
            RenderJobBlobs.StoreAsync(Blobs, key, value, type, Folder.Path, CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            await _services.DisposeAsync();
            Folder.Dispose();
            Server.Dispose();
        }
    }

    private static RenderWork Work()
    {
        var jobId = Guid.NewGuid();
        return new RenderWork(
            jobId,
            1,
            new RenderPlan { Assets = new Dictionary<string, PlanAsset> { ["narration"] = new(PlanAssetKind.Audio, "narration.wav") } },
            new Dictionary<string, string> { ["narration.wav"] = BlobKeys.For(jobId, Core.Jobs.StageName.Voice, 1, "narration.wav") },
            new RenderOutputKeys(
                BlobKeys.For(jobId, Core.Jobs.StageName.Render, 1, "video.mp4"),
                BlobKeys.For(jobId, Core.Jobs.StageName.Render, 1, "thumbnail.jpg"),
                BlobKeys.For(jobId, Core.Jobs.StageName.Render, 1, "preview.mp4")));
    }

    private static RenderedVideo Result(RenderWork work) => new(12.5, 1080, 1920, -3.2,
    [
        new RenderedFile(RenderStage.VideoKind, work.Outputs.Video, null, new BlobInfo(work.Outputs.Video, 4_200_000, "ab12")),
        new RenderedFile(RenderStage.ThumbnailKind, work.Outputs.Thumbnail, null, new BlobInfo(work.Outputs.Thumbnail, 52_000, "cd34")),
    ]);

    private static void NoExecutionsYet(WireMockServer server) =>
        server.Given(Request.Create().WithPath(ExecutionsPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));

    private static void RunStarts(WireMockServer server) =>
        server.Given(Request.Create().WithPath(RunPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(CloudRunServices.OperationJson(CloudRunServices.Execution)));

    /// <param name="before">What the execution does before Cloud Run reports it ended (the render job's stores).</param>
    private static void ExecutionEnds(WireMockServer server, Guid jobId, string state, string message = "", Func<Task>? before = null) =>
        server.Given(Request.Create().WithPath("/v2/" + CloudRunServices.Execution).UsingGet())
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                before?.Invoke().GetAwaiter().GetResult();
                return new ResponseMessage
                {
                    StatusCode = 200,
                    Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json; charset=UTF-8") },
                    BodyData = new BodyData
                    {
                        DetectedBodyType = BodyType.String,
                        BodyAsString = CloudRunServices.ExecutionJson(CloudRunServices.Execution, "2025-03-04T05:09:00Z",
                            succeeded: state == "CONDITION_SUCCEEDED" ? 1 : 0, failed: state == "CONDITION_FAILED" ? 1 : 0, state: state, message: message, jobId: jobId),
                    },
                };
            }));
}

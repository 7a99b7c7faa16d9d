using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ViralForge.Adapters.Google.CloudRun;

/// <summary>What <see cref="RenderJobLauncher.LaunchAsync"/> did.</summary>
public enum RenderLaunchKind
{
    /// <summary>A new execution was started.</summary>
    Started,

    /// <summary>An execution for this job and generation is already running; none was started.</summary>
    AlreadyRunning,

    /// <summary>An execution for this job and generation already succeeded; none was started.</summary>
    AlreadySucceeded,
}

/// <summary>The render execution for one job and generation, and whether this call started it.</summary>
public sealed record RenderLaunch(RenderLaunchKind Kind, string ExecutionName);

/// <summary>
/// Starts the render job (Google:CloudRun:RenderJobName, the ViralForge.RenderJob image) for one job and generation,
/// passing VF_JOB_ID and VF_GENERATION as env overrides, and starts it at most once while an execution for the same
/// pair is running or has succeeded.
/// </summary>
/// <remarks>
/// <para>
/// How the render stage uses it in production: the vf-render queue's tasks go to the render service (FUNCTION_TARGET
/// render, gcp profile), whose /stages/render handler does not render in process. It reads {jobId, generation},
/// calls <see cref="LaunchAsync"/> and answers 200 as soon as an execution exists (started now, or found). From then
/// on the execution owns the attempts: Cloud Run retries its task, and the render job runs the stage through
/// StageRunner with CLOUD_RUN_TASK_ATTEMPT as the retry count, so its last attempt fails and compensates the job
/// (set the job's max retries + 1 to vf-render's MaxAttempts). A launch that fails (API error, quota, timeout)
/// throws, the handler answers 5xx and Cloud Tasks retries the launch.
/// </para>
/// <para>
/// The handler does not wait for the execution (<see cref="WaitAsync"/> is for the CLI, smoke tests and operators):
/// the HTTP attempt would have to stay open for the whole render (dispatchDeadline is at most 30 minutes, with an
/// instance held idle), and a task retried after a failed execution would start a fresh one whose attempt count
/// begins at 0 again, so the last-attempt rule would never fire.
/// </para>
/// <para>
/// At-least-once: Cloud Tasks may deliver the task twice, and a launch whose answer was lost is retried. Each
/// execution carries its VF_JOB_ID/VF_GENERATION overrides in its template, so a second delivery finds the first
/// execution (running or succeeded) and starts nothing. Two deliveries at the very same moment can still both miss
/// each other; the second execution is then only a wasted container start, because StageRunner's claim lets one
/// attempt render while the other finds the run busy (exit 75, retried) and later already done (exit 0). A failed or
/// cancelled execution does not count, so a redelivery after one starts afresh (the stage runner skips a job that
/// already ended). An execution that dies before the stage runner records anything (say, the image cannot be
/// pulled) is left to the periodic reconcile step.
/// </para>
/// </remarks>
public sealed class RenderJobLauncher(CloudRunJobsClient client, IOptions<CloudRunOptions> options, ILogger<RenderJobLauncher> log)
{
    /// <summary>The render job's entry reads exactly these (ViralForge.RenderJob's RenderJobSettings).</summary>
    public const string JobIdVariable = "VF_JOB_ID";

    public const string GenerationVariable = "VF_GENERATION";

    public async Task<RenderLaunch> LaunchAsync(Guid jobId, int generation, CancellationToken cancellationToken)
    {
        var environment = EnvironmentFor(jobId, generation);
        var jobName = options.Value.RenderJobName;
        var earlier = (await client.ListExecutionsAsync(jobName, cancellationToken))
            .Where(e => e.HasEnvironment(environment))
            .Select(e => (Execution: e, Kind: !e.IsFinished ? RenderLaunchKind.AlreadyRunning
                : CloudRunJobsClient.OutcomeOf(e) == CloudRunExecutionOutcome.Succeeded ? RenderLaunchKind.AlreadySucceeded
                : (RenderLaunchKind?)null))
            .FirstOrDefault(e => e.Kind is not null);
        if (earlier.Kind is { } kind)
        {
            log.RenderAlreadyLaunched(jobId, generation, earlier.Execution.Name, kind == RenderLaunchKind.AlreadyRunning ? "running" : "done");
            return new RenderLaunch(kind, earlier.Execution.Name);
        }

        var started = await client.RunAsync(jobName, environment, cancellationToken);
        log.RenderLaunched(jobId, generation, started.ExecutionName);
        return new RenderLaunch(RenderLaunchKind.Started, started.ExecutionName);
    }

    /// <summary>Watches the launched execution until it ends or Google:CloudRun:Timeout passes.</summary>
    public Task<CloudRunExecutionResult> WaitAsync(RenderLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        return client.WaitForExecutionAsync(launch.ExecutionName, cancellationToken);
    }

    /// <summary>The env overrides of one render: the job id (a GUID, "D" form) and the generation.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> EnvironmentFor(Guid jobId, int generation)
    {
        if (jobId == Guid.Empty)
        {
            throw new ArgumentException("The render job needs a job id, not the empty GUID.", nameof(jobId));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(generation, 1);
        return
        [
            new(JobIdVariable, jobId.ToString("D")),
            new(GenerationVariable, generation.ToString(CultureInfo.InvariantCulture)),
        ];
    }
}

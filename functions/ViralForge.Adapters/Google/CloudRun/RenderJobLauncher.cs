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
/// pair is running or has succeeded. <see cref="CloudRunRenderer"/> is its caller.
/// </summary>
/// <remarks>
/// At-least-once: the render stage's task may be delivered twice, and a launch whose answer was lost is retried. Each
/// execution carries its VF_JOB_ID/VF_GENERATION overrides in its template, so a second delivery finds the first
/// execution (running or succeeded) and starts nothing. Two deliveries at the very same moment cannot both get there:
/// the stage runner's claim lets one delivery into the render stage while the other finds the run busy. A failed or
/// cancelled execution does not count, so the delivery after one starts afresh.
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

    /// <summary>Watches the launched execution until it ends or Google:CloudRun:Timeout passes (for the CLI, smoke tests and operators).</summary>
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

using System.Collections;
using System.Globalization;
using ViralForge.Core;

namespace ViralForge.RenderJob;

/// <summary>
/// What one execution of the render job is asked to do, read from its environment: the job and
/// generation (VF_JOB_ID, VF_GENERATION, passed as env overrides on jobs:run) and where Cloud Run ran
/// it (CLOUD_RUN_JOB, CLOUD_RUN_EXECUTION, CLOUD_RUN_TASK_INDEX, CLOUD_RUN_TASK_ATTEMPT).
/// </summary>
public sealed record RenderJobSettings(
    Guid JobId,
    int Generation,
    int TaskAttempt,
    string? CloudRunJob = null,
    string? Execution = null,
    int? TaskIndex = null)
{
    public const string JobIdVariable = "VF_JOB_ID";
    public const string GenerationVariable = "VF_GENERATION";
    public const string CloudRunJobVariable = "CLOUD_RUN_JOB";
    public const string ExecutionVariable = "CLOUD_RUN_EXECUTION";
    public const string TaskIndexVariable = "CLOUD_RUN_TASK_INDEX";
    public const string TaskAttemptVariable = "CLOUD_RUN_TASK_ATTEMPT";

    /// <summary>
    /// Reads and checks the variables (a missing CLOUD_RUN_* one means "not on Cloud Run": attempt 0).
    /// Every problem is reported at once, each naming its variable, so one failed execution says all
    /// that is wrong.
    /// </summary>
    /// <param name="environment">Such as <see cref="Environment.GetEnvironmentVariables()"/>.</param>
    /// <exception cref="RenderJobSettingsException">A variable is missing or malformed.</exception>
    public static RenderJobSettings FromEnvironment(IDictionary environment)
    {
        var problems = new List<string>();

        var jobId = Guid.Empty;
        var jobIdText = Read(environment, JobIdVariable);
        if (jobIdText is null)
        {
            problems.Add($"{JobIdVariable} is not set; pass the job's id (a GUID) as an environment override when running the job.");
        }
        else if (!Guid.TryParse(jobIdText, out jobId))
        {
            problems.Add($"{JobIdVariable} '{jobIdText}' is not a GUID.");
        }
        else if (jobId == Guid.Empty)
        {
            problems.Add($"{JobIdVariable} is the empty GUID; pass the id of an existing job.");
        }

        var generation = 0;
        var generationText = Read(environment, GenerationVariable);
        if (generationText is null)
        {
            problems.Add($"{GenerationVariable} is not set; pass the job's generation (1 or more) as an environment override when running the job.");
        }
        else if (!TryParseInt(generationText, out generation))
        {
            problems.Add($"{GenerationVariable} '{generationText}' is not a whole number.");
        }
        else if (generation < 1)
        {
            problems.Add($"{GenerationVariable} {generation} must be 1 or more.");
        }

        var attempt = ReadCount(environment, TaskAttemptVariable, problems) ?? 0;
        var index = ReadCount(environment, TaskIndexVariable, problems);

        if (problems.Count > 0)
        {
            throw new RenderJobSettingsException(problems);
        }
        return new RenderJobSettings(jobId, generation, attempt, Read(environment, CloudRunJobVariable), Read(environment, ExecutionVariable), index);
    }

    private static int? ReadCount(IDictionary environment, string variable, List<string> problems)
    {
        var text = Read(environment, variable);
        if (text is null)
        {
            return null;
        }
        if (TryParseInt(text, out var value) && value >= 0)
        {
            return value;
        }
        problems.Add($"{variable} '{text}' is not a whole number of 0 or more.");
        return null;
    }

    private static bool TryParseInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>The trimmed value; unset and blank are the same (an empty override is a mistake, not a value).</summary>
    private static string? Read(IDictionary environment, string variable) =>
        environment[variable]?.ToString()?.Trim() is { Length: > 0 } value ? value : null;
}

/// <summary>The render job cannot start as configured: its environment is wrong (one sentence per problem, each naming the variable). Retrying will not help.</summary>
public sealed class RenderJobSettingsException(IReadOnlyList<string> problems) : ViralForgeSettingsException(problems);

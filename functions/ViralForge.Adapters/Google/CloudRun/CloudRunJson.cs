using System.Text.Json.Serialization;

namespace ViralForge.Adapters.Google.CloudRun;

/// <summary>One execution of a Cloud Run job, as the Admin API v2 describes it (the fields ViralForge reads).</summary>
/// <param name="Name">projects/{p}/locations/{r}/jobs/{job}/executions/{execution}.</param>
/// <param name="CompletionTime">Set once the execution has finished, however it went.</param>
/// <param name="Template">The task template the execution runs, env overrides included.</param>
public sealed record CloudRunExecution(
    string Name,
    int TaskCount = 0,
    int RunningCount = 0,
    int SucceededCount = 0,
    int FailedCount = 0,
    int CancelledCount = 0,
    int RetriedCount = 0,
    string? CreateTime = null,
    string? StartTime = null,
    string? CompletionTime = null,
    List<CloudRunCondition>? Conditions = null,
    CloudRunTaskTemplate? Template = null,
    string? LogUri = null)
{
    [JsonIgnore]
    public bool IsFinished => CompletionTime is not null;

    /// <summary>The "Completed" condition: its state and message say how the execution ended.</summary>
    [JsonIgnore]
    public CloudRunCondition? Completed => Conditions?.FirstOrDefault(c => c.Type == "Completed");

    /// <summary>True when every one of <paramref name="environment"/> is set, to that value, on one of the execution's containers.</summary>
    public bool HasEnvironment(IEnumerable<KeyValuePair<string, string>> environment) =>
        Template?.Containers?.Any(container => environment.All(wanted =>
            container.Env?.Any(env => env.Name == wanted.Key && env.Value == wanted.Value) == true)) == true;
}

/// <summary>A status condition: type (Completed, Started, ResourcesAvailable, ...), state (CONDITION_SUCCEEDED, CONDITION_FAILED, ...), reason and message.</summary>
public sealed record CloudRunCondition(string? Type, string? State, string? Reason = null, string? Message = null);

/// <summary>The part of an execution's task template that holds its containers' environment.</summary>
public sealed record CloudRunTaskTemplate(List<CloudRunContainer>? Containers, int? MaxRetries = null);

/// <summary>One container of an execution's template: its image and environment (the job's own env merged with the overrides).</summary>
public sealed record CloudRunContainer(string? Name, string? Image, List<CloudRunEnvVar>? Env);

/// <summary>An environment variable, as the template and jobs:run's env overrides write it.</summary>
public sealed record CloudRunEnvVar(string Name, string? Value);

/// <summary>jobs:run's body: env overrides merged into the job's container for this execution only.</summary>
internal sealed record RunJobRequest(RunJobOverrides Overrides);

internal sealed record RunJobOverrides(List<RunJobContainerOverride> ContainerOverrides);

internal sealed record RunJobContainerOverride(List<CloudRunEnvVar> Env);

/// <summary>google.longrunning.Operation; for jobs:run both metadata and response are an Execution.</summary>
internal sealed record LongRunningOperation(string? Name, bool Done, CloudRunExecution? Metadata, CloudRunExecution? Response, OperationError? Error);

/// <summary>google.rpc.Status: code is a gRPC code (9 FAILED_PRECONDITION, ...), not an HTTP status.</summary>
internal sealed record OperationError(int Code, string? Message);

/// <summary>One page of executions.list.</summary>
internal sealed record ExecutionList(List<CloudRunExecution>? Executions, string? NextPageToken);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunJobRequest))]
[JsonSerializable(typeof(LongRunningOperation))]
[JsonSerializable(typeof(CloudRunExecution))]
[JsonSerializable(typeof(ExecutionList))]
internal sealed partial class CloudRunJson : JsonSerializerContext;

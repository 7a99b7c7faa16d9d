using System.Globalization;
using System.Text.Json.Serialization;

namespace ViralForge.Adapters.Google.Tasks;

/// <summary>tasks.create's body: the task, and how much of it to send back.</summary>
internal sealed record CreateTaskRequest(CloudTask Task, string ResponseView);

/// <summary>A Cloud Tasks HTTP task; its full resource name is what makes a second create answer 409.</summary>
internal sealed record CloudTask(string Name, string? ScheduleTime, string? DispatchDeadline, HttpTaskRequest HttpRequest);

/// <summary>The request Cloud Tasks makes; <see cref="Body"/> is bytes, so it travels as base64.</summary>
internal sealed record HttpTaskRequest(string Url, string HttpMethod, Dictionary<string, string> Headers, byte[] Body, OidcToken OidcToken);

internal sealed record OidcToken(string ServiceAccountEmail, string Audience);

/// <summary>The part of the created task we read back (responseView BASIC).</summary>
internal sealed record CreatedTask(string? Name, string? ScheduleTime);

/// <summary>The part of tasks.get's answer (responseView BASIC) the reconcile step reads; proto3 JSON leaves out a zero count.</summary>
internal sealed record FoundTask(string? Name, int DispatchCount, int ResponseCount, TaskAttempt? LastAttempt);

/// <summary>One attempt of a task; responseStatus is what the handler answered (or why it got no answer).</summary>
internal sealed record TaskAttempt(string? DispatchTime, RpcStatus? ResponseStatus);

internal sealed record RpcStatus(int Code, string? Message);

/// <summary>queues.patch's body: the queue's name and the retryConfig the update mask names.</summary>
internal sealed record QueueResource(string Name, QueueRetryConfig RetryConfig);

internal sealed record QueueRetryConfig(int MaxAttempts, string MaxRetryDuration, string MinBackoff, string MaxBackoff, int MaxDoublings);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateTaskRequest))]
[JsonSerializable(typeof(CreatedTask))]
[JsonSerializable(typeof(FoundTask))]
[JsonSerializable(typeof(QueueResource))]
internal sealed partial class CloudTasksJson : JsonSerializerContext;

/// <summary>Google's JSON forms of times: protobuf Timestamp (RFC 3339, UTC) and Duration ("3.5s").</summary>
internal static class GoogleTime
{
    /// <summary>RFC 3339 in UTC with as many fraction digits as needed, as Timestamp's JSON form asks.</summary>
    public static string Rfc3339(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Seconds with a fraction and an "s", computed on ticks so 0.1 s does not become 0.1000000000000000055s.</summary>
    public static string Duration(TimeSpan span) =>
        ((decimal)span.Ticks / TimeSpan.TicksPerSecond).ToString("0.#######", CultureInfo.InvariantCulture) + "s";
}

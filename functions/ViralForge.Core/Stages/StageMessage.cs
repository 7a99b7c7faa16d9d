using System.Text.Json;

namespace ViralForge.Core.Stages;

/// <summary>
/// The body of every stage task (and of the review tasks): which job, at which generation. A task that comes back to
/// work still going on elsewhere also carries when the stage began to wait on it (<paramref name="WaitingSince"/>), so
/// the wait is bounded across its tasks (Stages:WorkWaitLimit).
/// </summary>
public sealed record StageMessage(Guid JobId, int Generation, DateTimeOffset? WaitingSince = null)
{
    /// <summary>What a malformed body is told it should have been.</summary>
    public const string ExpectedShape = "expected {\"jobId\": \"<uuid>\", \"generation\": <1 or more>}";

    /// <summary>
    /// Reads a task body. A body that is not JSON of this shape, names no job (the empty uuid) or a generation below 1
    /// gives no message but the reason, for the endpoint's 400.
    /// </summary>
    public static async Task<(StageMessage? Message, string? Problem)> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        StageMessage? message;
        try
        {
            message = await JsonSerializer.DeserializeAsync(body, CoreJson.Default.StageMessage, cancellationToken);
        }
        catch (JsonException ex)
        {
            return (null, ex.Message);
        }
        return message is null || message.JobId == Guid.Empty || message.Generation < 1 ? (null, ExpectedShape) : (message, null);
    }
}

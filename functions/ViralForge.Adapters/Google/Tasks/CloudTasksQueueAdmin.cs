using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Google.Tasks;

/// <summary>
/// Creates or updates the vf-* queues with the retry settings of ViralForge:Queue, so that the deployment's queues
/// retry exactly as the stage runner expects (its "last attempt: fail the job" rule reads the same MaxAttempts).
/// </summary>
public sealed class CloudTasksQueueAdmin(
    CloudTasksQueue queue,
    IOptions<CloudTasksOptions> options,
    IOptions<ViralForgeOptions> settings,
    ILogger<CloudTasksQueueAdmin> log)
{
    /// <summary>
    /// Every field the update sets. maxRetryDuration is set to 0 (no limit) so that MaxAttempts alone ends the retries:
    /// Cloud Tasks only stops when both limits are reached.
    /// </summary>
    public const string UpdateMask =
        "retryConfig.maxAttempts,retryConfig.maxRetryDuration,retryConfig.minBackoff,retryConfig.maxBackoff,retryConfig.maxDoublings";

    /// <summary>Ensures one queue per stage (vf-trends ... vf-publish), each with its ViralForge:Queue retry settings.</summary>
    public async Task EnsureStageQueuesAsync(CancellationToken cancellationToken)
    {
        foreach (var stage in StageOrder.InOrder)
        {
            var name = StageTasks.QueueFor(stage);
            await EnsureQueueAsync(name, settings.Value.Queue.RetryFor(name), cancellationToken);
        }
    }

    /// <summary>
    /// queues.patch with an update mask: it creates the queue when missing and otherwise changes only retryConfig,
    /// leaving rate limits set by hand alone. The same call twice gives the same queue, so it is retried freely.
    /// </summary>
    public async Task EnsureQueueAsync(string queueName, QueueRetryOptions retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retry);
        if (retry.MinBackoff <= TimeSpan.Zero || retry.MaxBackoff < retry.MinBackoff)
        {
            throw new ArgumentException(
                $"Queue '{queueName}': MinBackoff ({retry.MinBackoff}) must be positive and at most MaxBackoff ({retry.MaxBackoff}).", nameof(retry));
        }
        var o = options.Value;
        var queuePath = CloudTasksQueue.QueuePath(o, queueName);
        var body = new QueueResource(
            queuePath,
            new QueueRetryConfig(retry.MaxAttempts, "0s", GoogleTime.Duration(retry.MinBackoff), GoogleTime.Duration(retry.MaxBackoff), retry.MaxDoublings));

        using var response = await queue.SendAsync(
            HttpMethod.Patch,
            $"v2/{queuePath}?updateMask={Uri.EscapeDataString(UpdateMask)}",
            JsonSerializer.SerializeToUtf8Bytes(body, CloudTasksJson.Default.QueueResource),
            o,
            cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await GoogleResponses.ErrorAsync(CloudTasksQueue.Api, response, cancellationToken);
        }
        log.QueueEnsured(queueName, retry.MaxAttempts, retry.MinBackoff, retry.MaxBackoff, retry.MaxDoublings);
    }
}

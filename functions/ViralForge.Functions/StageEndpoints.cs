using System.Globalization;
using System.Text.Json;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.CloudRun;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions;

/// <summary>One POST endpoint per stage, called by the task queue.</summary>
public static class StageEndpoints
{
    /// <param name="renderInCloudRunJob">
    /// The render endpoint starts (or finds) the render job's Cloud Run execution and answers 200 at once; the
    /// execution runs the render stage and owns its retries (see RenderJobLauncher).
    /// </param>
    public static void MapStageEndpoints(this IEndpointRouteBuilder app, IReadOnlyList<StageName> stages, bool renderInCloudRunJob = false)
    {
        foreach (var stage in stages)
        {
            var endpoint = stage == StageName.Render && renderInCloudRunJob
                ? app.MapPost(StageTasks.PathFor(stage), (HttpRequest request, RenderJobLauncher launcher, StageRunner runner, CancellationToken cancellationToken) =>
                    LaunchRenderJobAsync(request, launcher, runner, cancellationToken))
                : app.MapPost(StageTasks.PathFor(stage), (HttpRequest request, StageRunner runner, CancellationToken cancellationToken) =>
                    HandleAsync(stage, request, runner, cancellationToken));
            endpoint.AddEndpointFilter<AuthenticateCaller>().WithName($"stage-{stage.Wire()}");
        }
    }

    private static async Task<IResult> HandleAsync(StageName stage, HttpRequest request, StageRunner runner, CancellationToken cancellationToken)
    {
        var (message, problem) = await ReadMessageAsync(request, cancellationToken);
        if (message is null)
        {
            return problem!;
        }

        var outcome = await runner.RunAsync(stage, message, ReadDelivery(request), cancellationToken);
        return StageOutcomeHttp.ToResult(outcome);
    }

    private static async Task<IResult> LaunchRenderJobAsync(HttpRequest request, RenderJobLauncher launcher, StageRunner runner, CancellationToken cancellationToken)
    {
        var (message, problem) = await ReadMessageAsync(request, cancellationToken);
        if (message is null)
        {
            return problem!;
        }

        try
        {
            var launch = await launcher.LaunchAsync(message.JobId, message.Generation, cancellationToken);
            return StageOutcomeHttp.ToResult(new StageOutcome.Completed($"render job execution {launch.Kind.ToString().ToLowerInvariant()}: {launch.ExecutionName}"));
        }
        catch (Exception ex) when (ex is GoogleApiException or HttpRequestException or TimeoutException)
        {
            // Cloud Tasks retries the launch (503); on its last attempt the job fails and is cleaned up instead of waiting forever.
            return StageOutcomeHttp.ToResult(await runner.FailedOutsideAsync(StageName.Render, message, ReadDelivery(request), $"could not start the render job: {ex.Message}", cancellationToken));
        }
    }

    private static async Task<(StageMessage? Message, IResult? Problem)> ReadMessageAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (message, problem) = await StageMessage.ReadAsync(request.Body, cancellationToken);
        return message is null
            ? (null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed stage message", detail: problem))
            : (message, null);
    }

    /// <summary>The X-CloudTasks-* headers; informational only, never identity.</summary>
    internal static DeliveryInfo ReadDelivery(HttpRequest request) => new(
        request.Headers["X-CloudTasks-QueueName"].FirstOrDefault(),
        request.Headers["X-CloudTasks-TaskName"].FirstOrDefault(),
        int.TryParse(request.Headers["X-CloudTasks-TaskRetryCount"], NumberStyles.None, CultureInfo.InvariantCulture, out var retries) ? retries : 0,
        int.TryParse(request.Headers["X-CloudTasks-TaskExecutionCount"], NumberStyles.None, CultureInfo.InvariantCulture, out var executions) ? executions : 0);
}

/// <summary>
/// The one place a stage outcome becomes an HTTP status. 2xx ends the task (done, waiting for a person,
/// nothing to do, or ended for good); 503 asks the queue to retry.
/// </summary>
public static class StageOutcomeHttp
{
    public static IResult ToResult(StageOutcome outcome) => outcome switch
    {
        StageOutcome.Completed or StageOutcome.Skipped or StageOutcome.Ended =>
            Results.Json(new OutcomeBody(Kind(outcome), outcome.Detail), FunctionsJson.Default.OutcomeBody, statusCode: StatusCodes.Status200OK),
        StageOutcome.AwaitingApproval =>
            Results.Json(new OutcomeBody(Kind(outcome), outcome.Detail), FunctionsJson.Default.OutcomeBody, statusCode: StatusCodes.Status202Accepted),
        StageOutcome.RetryLater retry => new RetryLaterResult(retry),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown stage outcome."),
    };

    public static int StatusCode(StageOutcome outcome) => outcome switch
    {
        StageOutcome.AwaitingApproval => StatusCodes.Status202Accepted,
        StageOutcome.RetryLater => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status200OK,
    };

    private static string Kind(StageOutcome outcome) => outcome.GetType().Name.ToLowerInvariant();

    private sealed class RetryLaterResult(StageOutcome.RetryLater retry) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            if (retry.After is { } after)
            {
                httpContext.Response.Headers.RetryAfter = Math.Ceiling(after.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }
            await httpContext.Response.WriteAsJsonAsync(new OutcomeBody("retrylater", retry.Detail), FunctionsJson.Default.OutcomeBody);
        }
    }
}

/// <summary>The JSON body of a stage answer.</summary>
public sealed record OutcomeBody(string Outcome, string Detail);

using System.Globalization;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions;

/// <summary>One POST endpoint per stage, called by the task queue.</summary>
public static class StageEndpoints
{
    public static void MapStageEndpoints(this IEndpointRouteBuilder app, IReadOnlyList<StageName> stages)
    {
        foreach (var stage in stages)
        {
            app.MapPost(StageTasks.PathFor(stage), (HttpRequest request, StageRunner runner, CancellationToken cancellationToken) =>
                    HandleAsync(stage, request, runner, cancellationToken))
                .AddEndpointFilter<AuthenticateCaller>()
                .WithName($"stage-{stage.Wire()}");
        }
    }

    private static async Task<IResult> HandleAsync(StageName stage, HttpRequest request, StageRunner runner, CancellationToken cancellationToken)
    {
        var (message, problem) = await ReadMessageAsync(request, "Malformed stage message", cancellationToken);
        if (message is null)
        {
            return problem!;
        }

        var outcome = await runner.RunAsync(stage, message, ReadDelivery(request), cancellationToken);
        return StageOutcomeHttp.ToResult(outcome);
    }

    /// <summary>The task body as a <see cref="StageMessage"/>, or the 400 that says what is wrong with it (stage and review tasks alike).</summary>
    internal static async Task<(StageMessage? Message, IResult? Problem)> ReadMessageAsync(HttpRequest request, string title, CancellationToken cancellationToken)
    {
        var (message, problem) = await StageMessage.ReadAsync(request.Body, cancellationToken);
        return message is null
            ? (null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: problem))
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
/// nothing to do, ended for good, or deferred to a task scheduled for later); 503 asks the queue to retry.
/// </summary>
public static class StageOutcomeHttp
{
    public static IResult ToResult(StageOutcome outcome) => outcome switch
    {
        // Deferred ends this task too: the stage waits on a task of its own, scheduled for the window.
        StageOutcome.Completed or StageOutcome.Skipped or StageOutcome.Ended or StageOutcome.Deferred =>
            Results.Json(new OutcomeBody(Kind(outcome), outcome.Detail), FunctionsJson.Default.OutcomeBody, statusCode: StatusCodes.Status200OK),
        StageOutcome.AwaitingApproval =>
            Results.Json(new OutcomeBody(Kind(outcome), outcome.Detail), FunctionsJson.Default.OutcomeBody, statusCode: StatusCodes.Status202Accepted),
        StageOutcome.RetryLater retry => new RetryLaterResult(retry),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown stage outcome."),
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

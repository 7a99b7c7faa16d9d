using ViralForge.Core.Review;
using ViralForge.Core.Stages;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions;

/// <summary>
/// Review mode bot's task endpoints, called by the queue like the stage endpoints (same caller check, same outcome to
/// HTTP mapping): /review/apply on vf-review-decisions, /review/remind and /review/expire on vf-review-timers. Only
/// the mapping is here; <see cref="ReviewTasks"/> (in the core) does the work.
/// </summary>
public static class ReviewTaskEndpoints
{
    public static IEndpointRouteBuilder MapReviewTaskEndpoints(this IEndpointRouteBuilder app)
    {
        Map(app, ReviewDesk.ApplyPath, "review-apply", (tasks, message, ct) => tasks.ApplyAsync(message, ct));
        Map(app, ChatReviewChannel.RemindPath, "review-remind", (tasks, message, ct) => tasks.RemindAsync(message, ct));
        Map(app, ChatReviewChannel.ExpirePath, "review-expire", (tasks, message, ct) => tasks.ExpireAsync(message, ct));
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, string path, string name, Func<ReviewTasks, StageMessage, CancellationToken, Task<StageOutcome>> run) =>
        app.MapPost(path, async (HttpRequest request, ReviewTasks tasks, CancellationToken cancellationToken) =>
            {
                var (message, problem) = await StageEndpoints.ReadMessageAsync(request, "Malformed review task", cancellationToken);
                if (message is null)
                {
                    return problem!;
                }
                return StageOutcomeHttp.ToResult(await run(tasks, message, cancellationToken));
            })
            .AddEndpointFilter<AuthenticateCaller>()
            .WithName(name);
}

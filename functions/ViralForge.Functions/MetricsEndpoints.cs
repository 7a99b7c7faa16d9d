using ViralForge.Core.Metrics;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions;

/// <summary>
/// POST /metrics/read: one scheduled analytics read (+1 h, +24 h or +7 d) of a job's published videos, called by the
/// queue (vf-publish-metrics) like the stage endpoints: the same caller check and the same outcome to HTTP mapping
/// (503 asks the queue to try again). Served by the publish stage's service; <see cref="MetricsTasks"/> does the work.
/// </summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(MetricsTasks.Path, async (HttpRequest request, IServiceProvider services, CancellationToken cancellationToken) =>
            {
                var (message, problem) = await MetricsMessage.ReadAsync(request.Body, cancellationToken);
                if (message is null)
                {
                    return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed metrics task", detail: problem);
                }
                // Registered with the job store; a host without one has no reads to make.
                if (services.GetService<MetricsTasks>() is not { } tasks)
                {
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No analytics loop here", detail: "this host keeps no video metrics");
                }
                return StageOutcomeHttp.ToResult(await tasks.ReadAsync(message, StageEndpoints.ReadDelivery(request), cancellationToken));
            })
            .AddEndpointFilter<AuthenticateCaller>()
            .WithName("metrics-read");
        return app;
    }
}

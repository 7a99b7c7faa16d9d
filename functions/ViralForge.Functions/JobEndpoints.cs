using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

using ViralForge.Functions.Addon;

namespace ViralForge.Functions;

/// <summary>Status of a job, for the CLI, the add-on and people debugging.</summary>
public static class JobEndpoints
{
    public static void MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/jobs/{id:guid}", async (Guid id, IJobStore store, CancellationToken cancellationToken) =>
            {
                var job = await store.GetAsync(id, cancellationToken);
                if (job is null)
                {
                    return Results.NotFound();
                }
                var events = await store.ListEventsAsync(id, cancellationToken);
                var body = new JobStatusBody(job.Id, job.Status, job.Stage?.Wire(), job.Generation, job.Error,
                    events.Select(e => new JobEventBody(e.At, e.Kind, e.Stage?.Wire(), e.Message)).ToList());
                return Results.Json(body, FunctionsJson.Default.JobStatusBody);
            })
            // The queue's callers as before, and the add-on's people (identity token or API key) when it is on.
            .RequireAddonCaller(AddonCredential.HostOrAddon);
    }
}

/// <summary>A job as the status endpoint shows it.</summary>
public sealed record JobStatusBody(Guid Id, string Status, string? Stage, int Generation, string? Error, IReadOnlyList<JobEventBody> Events);

/// <summary>One event in <see cref="JobStatusBody"/>.</summary>
public sealed record JobEventBody(DateTimeOffset At, string Kind, string? Stage, string Message);

using Microsoft.Extensions.DependencyInjection;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Core.Stages;

/// <summary>
/// Makes the jobs of one Languages row ("en, es, pt-BR") share one trends and one analysis run. The row's first language
/// has the row's own job, which runs every stage; each further language's job (<see cref="VideoRequest.VariantOf"/>)
/// takes that job's stored trends and analysis outputs as its own instead of running those stages, and writes its own
/// script, voice, video and row cells.
/// </summary>
/// <remarks>
/// <para>Wraps the trends, analysis and script stages (<see cref="LanguageVariantRegistration.AddLanguageVariants"/>).
/// A further language's job is not queued until the first job's analysis is stored: the first job's script stage
/// starts them (a named task, so a redelivery queues nothing more), and intake starts them when the analysis is
/// already there. So the normal path never waits. Should one run early anyway (the reconcile step queues a job that
/// sat queued), it waits for the first job's output (<see cref="WorkStillRunningException"/>); if the first job ended
/// without it (its trends failed, it was cancelled), the job runs the stage itself.</para>
/// <para>Why not one trends run shared by row hash or topic: the trends cache (trend_snapshots) already shares provider
/// calls between any jobs; this shares the whole stage output, analysis included, between the jobs of one row, which
/// is what keeps the languages' videos about the same trends.</para>
/// </remarks>
public sealed class LanguageVariantStage(IStage inner, IJobStore store, StageTasks tasks) : IStage
{
    /// <summary>How soon a further language's stage that ran before its first job's output existed looks again.</summary>
    public static readonly TimeSpan WaitForMainJob = TimeSpan.FromMinutes(1);

    public StageName Name => inner.Name;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job;
        if (Name is StageName.Trends or StageName.Analysis && job.Request.VariantOf is { } mainId)
        {
            return await ShareAsync(context, mainId, cancellationToken);
        }
        if (Name == StageName.Script && job.Request.VariantOf is null)
        {
            await StartLanguagesAsync(job, cancellationToken);
        }
        return await inner.RunAsync(context, cancellationToken);
    }

    public Task CompensateAsync(CompensationContext context, CancellationToken cancellationToken) => inner.CompensateAsync(context, cancellationToken);

    private async Task<StageResult> ShareAsync(StageContext context, Guid mainId, CancellationToken cancellationToken)
    {
        var main = await store.GetAsync(mainId, cancellationToken);
        var run = main is null ? null : await store.GetLatestCompletedAsync(main.Id, Name, main.Generation, cancellationToken);
        if (main is not null && run is { Output: { } output, CompensatedAt: null })
        {
            return new StageResult(StageResultKind.Completed, output.Clone(), [],
                $"the {main.Request.Language} job {main.Id}'s {Name.Wire()} output, shared by the row's languages (not run again)");
        }
        if (main is null || main.IsTerminal)
        {
            var result = await inner.RunAsync(context, cancellationToken);
            var why = main is null ? $"job {mainId} is gone" : $"the {main.Request.Language} job {main.Id} ended ({main.Status}) without it";
            return result with { Summary = $"{result.Summary} (run for this language alone: {why})" };
        }
        throw new WorkStillRunningException($"waiting for the {main.Request.Language} job {main.Id}'s {Name.Wire()}, which this {context.Request.Language} job shares", WaitForMainJob);
    }

    /// <summary>Queues the trends stage of each further language's job of this row that has not started yet.</summary>
    private async Task StartLanguagesAsync(Job main, CancellationToken cancellationToken)
    {
        var waiting = (await store.ListBySheetAsync(main.SheetId, cancellationToken))
            .Where(j => j.Request.VariantOf == main.Id && j.Status == JobStatus.Queued);
        foreach (var job in waiting)
        {
            await tasks.EnqueueAsync(job.Id, StageName.Trends, job.Generation, cancellationToken);
        }
    }
}

/// <summary>Registers <see cref="LanguageVariantStage"/> around the stages it changes.</summary>
public static class LanguageVariantRegistration
{
    /// <summary>
    /// Wraps the registered trends, analysis and script stages in a <see cref="LanguageVariantStage"/>. Call after they
    /// are registered; a stage registered by factory or instance is left as it is.
    /// </summary>
    public static IServiceCollection AddLanguageVariants(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Type[] wrapped = [typeof(TrendsStage), typeof(AnalysisStage), typeof(ScriptStage)];
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i] is { ServiceType: var service, ImplementationType: { } type, Lifetime: var lifetime } && service == typeof(IStage) && wrapped.Contains(type))
            {
                services[i] = ServiceDescriptor.Describe(typeof(IStage), sp => new LanguageVariantStage(
                    (IStage)ActivatorUtilities.CreateInstance(sp, type), sp.GetRequiredService<IJobStore>(), sp.GetRequiredService<StageTasks>()), lifetime);
            }
        }
        return services;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Core.Review;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Core;

/// <summary>Registers the core: options, the eight stages, the runner, the saga, review and intake.</summary>
public static class ServiceCollectionExtensions
{
    public static IServiceCollection AddViralForgeCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ViralForgeOptions>()
            .Bind(configuration.GetSection(ViralForgeOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ViralForgeOptions>, ViralForgeOptionsValidator>();
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton<IStage, TrendsStage>();
        services.AddSingleton<IStage, AnalysisStage>();
        services.AddSingleton<IStage, ScriptStage>();
        services.AddSingleton<IStage, VisualsStage>();
        services.AddSingleton<IStage, VoiceStage>();
        services.AddSingleton<IStage, RenderStage>();
        services.AddSingleton<IStage, ReviewStage>();
        services.AddSingleton<IStage, PublishStage>();
        services.AddLanguageVariants();

        services.AddSingleton<StageTasks>();
        services.AddSingleton<StageRunner>();
        services.AddSingleton<Compensator>();
        services.AddSingleton<Reconciler>();
        services.AddSingleton<SheetStatusWriter>();
        services.AddSingleton(sp => RowDefaults.From(sp.GetRequiredService<IOptions<ViralForgeOptions>>().Value.Defaults));
        services.AddSingleton<IntakeService>();
        services.AddReview(configuration);
        return services;
    }
}

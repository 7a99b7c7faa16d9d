using Microsoft.Extensions.DependencyInjection;
using ViralForge.Core.Jobs;

namespace ViralForge.Core.Providers;

/// <summary>
/// Which provider a stage uses in this host, as the start-up line says it ("script: openai gpt-4o-mini",
/// "voice: espeak-ng (offline)"). The registration that picks a provider adds its choice next to it.
/// </summary>
public sealed record ProviderChoice(StageName Stage, string Provider)
{
    /// <summary>The start-up line.</summary>
    public override string ToString() => $"{Stage.Wire()}: {Provider}";
}

/// <summary>Registers and reads the stages' provider choices.</summary>
public static class ProviderChoices
{
    /// <summary>
    /// Adds a stage's choice. Like the providers' own TryAdd registrations, the first choice for a stage wins: a real
    /// provider registered where its key is set comes before the offline fallback registered after it.
    /// </summary>
    public static IServiceCollection AddProviderChoice(this IServiceCollection services, StageName stage, string provider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        return services.AddSingleton(new ProviderChoice(stage, provider));
    }

    /// <summary>One choice per stage that has one, the first registered, in pipeline order.</summary>
    public static IReadOnlyList<ProviderChoice> InEffect(IEnumerable<ProviderChoice> registered) =>
        [.. registered.GroupBy(c => c.Stage).Select(g => g.First()).OrderBy(c => c.Stage)];
}

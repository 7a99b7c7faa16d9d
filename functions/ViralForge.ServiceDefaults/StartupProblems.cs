using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Core;

namespace ViralForge.ServiceDefaults;

/// <summary>
/// Turns what stops a host at start-up because of its settings into the sentences a person acts on, one per problem,
/// instead of a stack trace: a setting found wrong while registering, and every options section that failed validation.
/// </summary>
public static class StartupProblems
{
    /// <summary>The problems <paramref name="exception"/> reports, or null when it is not a settings problem (then it is a fault, and rethrown).</summary>
    public static IReadOnlyList<string>? Of(Exception exception) => exception switch
    {
        ViralForgeSettingsException settings => settings.Problems,
        OptionsValidationException validation => [.. validation.Failures],
        // A value the configuration binder cannot convert (ViralForge:Media:Crf=abc): its message names the setting and
        // the value, and a value that fails to convert is never a secret (secrets are strings, which always bind).
        InvalidOperationException { InnerException: not null, TargetSite.DeclaringType.FullName: { } thrower } binding
            when thrower.StartsWith("Microsoft.Extensions.Configuration.ConfigurationBinder", StringComparison.Ordinal) =>
                [$"{binding.Message} Give the setting a value of that type."],
        // Start-up validates every options class at once and reports all the bad sections together.
        AggregateException all when all.InnerExceptions.All(e => Of(e) is not null) => [.. all.InnerExceptions.SelectMany(e => Of(e)!)],
        _ => null,
    };

    /// <summary>Runs a host; a settings problem is written to <paramref name="errors"/> as "name: problem" lines and gives exit code 2.</summary>
    public static async Task<int> RunAsync(string name, TextWriter errors, Func<Task> run)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            await run();
            return 0;
        }
        catch (Exception e) when (Of(e) is { } problems)
        {
            await WriteAsync(name, errors, problems);
            return BadSettingsExitCode;
        }
    }

    /// <summary>
    /// Validates every options class registered with ValidateOnStart now, on a built host, before it starts: started with a
    /// bad setting, the host would first log "Hosting failed to start" with the whole stack trace (a hosted service reads
    /// its options while it is made), where a person should see only the lines <see cref="RunAsync"/> writes.
    /// </summary>
    public static void ValidateSettings(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.GetService<IStartupValidator>()?.Validate();
    }

    /// <summary>EX_USAGE-like: fix the settings; starting again fails the same way.</summary>
    public const int BadSettingsExitCode = 2;

    public static async Task WriteAsync(string name, TextWriter errors, IEnumerable<string> problems)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var problem in problems)
        {
            await errors.WriteLineAsync($"{name}: {problem}");
        }
        await errors.FlushAsync();
    }
}

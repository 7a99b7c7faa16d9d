using Microsoft.Extensions.Configuration;

namespace ViralForge.Core;

/// <summary>Which adapters stand behind the ports: the offline ones on this machine, or Google Cloud's.</summary>
public enum ViralForgeProfile
{
    /// <summary>PostgreSQL queue, files, CSV sheets and the offline providers: no account, no network.</summary>
    Local,

    /// <summary>Cloud Tasks, Cloud Storage, Cloud Run jobs and Google Sheets.</summary>
    Gcp,
}

/// <summary>The one reading of ViralForge:Profile, done while services are registered (before options exist).</summary>
public static class ViralForgeProfiles
{
    public const string Setting = $"{ViralForgeOptions.SectionName}:Profile";

    /// <summary>The profile the configuration names (local when unset); a word that is not one stops the host naming it.</summary>
    public static ViralForgeProfile Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[Setting];
        return text?.Trim().ToLowerInvariant() switch
        {
            null or "" or "local" => ViralForgeProfile.Local,
            "gcp" => ViralForgeProfile.Gcp,
            _ => throw new ViralForgeSettingsException(
                $"{Setting} (environment ViralForge__Profile) '{text}' is not a profile; use 'local' or 'gcp'."),
        };
    }
}

/// <summary>
/// Settings found wrong while a host is being put together, before options validation can run; each problem names its
/// setting and says what to use. StartupProblems tells them as lines, never as a stack trace.
/// </summary>
public class ViralForgeSettingsException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    public ViralForgeSettingsException(string problem)
        : this([problem])
    {
    }

    public IReadOnlyList<string> Problems { get; } = problems;
}

using Microsoft.Extensions.Configuration;

namespace ViralForge.Core.Trends;

/// <summary>The analysis stage's settings (section ViralForge:Analysis).</summary>
public sealed class AnalysisOptions
{
    /// <summary>The setting's full name, for messages and for reading it while services are registered.</summary>
    public const string InsightSetting = $"{ViralForgeOptions.SectionName}:Analysis:Insight";

    /// <summary>
    /// Whether a language model reads the top 10 trending videos (what they have in common, three hook lines in the row's
    /// language), paid per job. Unset: on in the gcp profile when OpenAI:ApiKey is set, off in the local profile (so a
    /// local run with a key for scripts pays for nothing it did not ask for). true needs OpenAI:ApiKey.
    /// </summary>
    public bool? Insight { get; set; }

    /// <summary>
    /// Whether the insight is on for this host: the setting, or its default for <paramref name="profile"/>. Read while
    /// services are registered (before options exist); a value that is not true or false, or true without a model to
    /// ask, stops the host with one line naming the setting.
    /// </summary>
    public static bool InsightOn(IConfiguration configuration, ViralForgeProfile profile, bool modelConfigured)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[InsightSetting]?.Trim();
        bool? chosen = string.IsNullOrEmpty(text) ? null
            : bool.TryParse(text, out var value) ? value
            : throw new ViralForgeSettingsException(
                $"{InsightSetting} (environment ViralForge__Analysis__Insight) '{text}' is not true or false; leave it empty for the profile's default.");
        if (chosen == true && !modelConfigured)
        {
            throw new ViralForgeSettingsException(
                $"{InsightSetting} is true but OpenAI:ApiKey is not set, so no model can write the insight; set OpenAI:ApiKey or set {InsightSetting} to false.");
        }
        return chosen ?? (profile == ViralForgeProfile.Gcp && modelConfigured);
    }
}

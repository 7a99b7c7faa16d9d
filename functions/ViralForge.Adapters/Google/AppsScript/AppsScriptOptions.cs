using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Adapters.Google.AppsScript;

/// <summary>Where the Apps Script API is and how hard to try (section Google:AppsScript); used by `vf addon push`.</summary>
public sealed class AppsScriptOptions
{
    public const string SectionName = "Google:AppsScript";

    /// <summary>The Apps Script API; only tests point it elsewhere.</summary>
    [Required(ErrorMessage = "Google:AppsScript:BaseAddress is required.")]
    public Uri BaseAddress { get; set; } = new("https://script.googleapis.com/");

    /// <summary>How long one API call may take before it is abandoned and retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a call that hit 408, 429, 5xx, a dropped connection or <see cref="AttemptTimeout"/>.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first retry's wait; it doubles (with jitter) for each further retry, unless Retry-After says otherwise.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Source-generated validation of <see cref="AppsScriptOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class AppsScriptOptionsValidator : IValidateOptions<AppsScriptOptions>;

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Adapters.Google.Sheets;

/// <summary>Settings of the Google Sheets adapter (section "Google:Sheets"), validated at start-up.</summary>
/// <remarks>Environment variables are Google__Sheets__Name; a bad value stops the host with a message that names it.</remarks>
public sealed class GoogleSheetsOptions
{
    public const string SectionName = "Google:Sheets";

    /// <summary>Root of the Sheets API; tests point it at a simulator.</summary>
    [Required, Url]
    public string BaseAddress { get; set; } = "https://sheets.googleapis.com/";

    /// <summary>Pending writes of one sheet tab are merged and sent as one request once per interval.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Write requests per minute for the whole process. Google allows 60 per minute per user and project, and
    /// one service account is one user for every spreadsheet it touches, so the default leaves room for retries
    /// and for people's own tools. Raise it only after raising the quota.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxWritesPerMinute { get; set; } = 50;

    /// <summary>One attempt of one request is abandoned after this long (Google itself gives up after 180 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:03:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a request that failed with 408, 429, 5xx, a network error or a timeout; other answers are final.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry waits about this long, then the wait doubles (with jitter); a Retry-After header wins.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Source-generated validation of <see cref="GoogleSheetsOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class GoogleSheetsOptionsValidator : IValidateOptions<GoogleSheetsOptions>;

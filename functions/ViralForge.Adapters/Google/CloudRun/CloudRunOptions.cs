using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Adapters.Google.CloudRun;

/// <summary>Where the render job lives and how long to watch an execution (section Google:CloudRun).</summary>
public sealed class CloudRunOptions
{
    public const string SectionName = "Google:CloudRun";

    [Required(ErrorMessage = "Google:CloudRun:ProjectId is required: the project of the render job.")]
    [RegularExpression("^[A-Za-z0-9:.-]+$", ErrorMessage = "Google:CloudRun:ProjectId may only hold letters, digits, '-', ':' and '.'.")]
    public string ProjectId { get; set; } = "";

    /// <summary>The job's region, such as europe-west1.</summary>
    [Required(ErrorMessage = "Google:CloudRun:Region is required: the region of the render job, such as europe-west1.")]
    [RegularExpression("^[a-z0-9-]+$", ErrorMessage = "Google:CloudRun:Region must be a region id such as europe-west1.")]
    public string Region { get; set; } = "";

    /// <summary>The Cloud Run job that runs ViralForge.RenderJob (its image's entry is viralforge-render-job).</summary>
    [Required(ErrorMessage = "Google:CloudRun:RenderJobName is required.")]
    [RegularExpression("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", ErrorMessage = "Google:CloudRun:RenderJobName must be a Cloud Run job name: lower-case letters, digits and '-'.")]
    public string RenderJobName { get; set; } = "viralforge-render-job";

    /// <summary>The Cloud Run Admin API; only tests point it elsewhere.</summary>
    [Required(ErrorMessage = "Google:CloudRun:BaseAddress is required.")]
    public Uri BaseAddress { get; set; } = new("https://run.googleapis.com/");

    /// <summary>How often a watched execution (or an operation not yet naming its execution) is read again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to watch an execution before reporting it as timed out (it goes on running; watching stops).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "7.00:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long one delivery of the render stage waits for its execution before handing back (the queue comes back after
    /// PollInterval and the next delivery waits on the same execution). The render tasks' deadline floor
    /// (ViralForge:Queue:RenderDeadlineFloor) is raised to this plus a minute, so the queue never abandons an attempt that is waiting.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:29:00")]
    public TimeSpan RenderWait { get; set; } = TimeSpan.FromMinutes(8);

    /// <summary>How long one API call may take before it is abandoned (and, for reads, retried).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a read after 408, 429, 5xx, a dropped connection or a timeout; jobs:run is retried only when it cannot have run.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first retry's wait; it doubles (with jitter) for each further retry, unless Retry-After says otherwise.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>Source-generated validation of <see cref="CloudRunOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class CloudRunOptionsValidator : IValidateOptions<CloudRunOptions>;

namespace ViralForge.RenderJob;

/// <summary>
/// The render job's exit codes. Cloud Run counts 0 as a succeeded task; the job runs with no retries of its own (the
/// render stage's queue retries, with a fresh execution), so the distinct non-zero codes are for the person reading the
/// execution's logs, while render-failure.json tells the render stage whether to retry.
/// </summary>
public static class RenderJobExitCodes
{
    /// <summary>Rendered and stored (render-result.json written), already rendered, or nothing to render.</summary>
    public const int Done = 0;

    /// <summary>The host could not be built or started: retried like a 5xx.</summary>
    public const int Unexpected = 1;

    /// <summary>Malformed environment or settings; the message is on stderr. Fix the job: a retry fails the same way.</summary>
    public const int BadConfiguration = 2;

    /// <summary>The render cannot succeed (an invalid plan, loudness out of reach, a bad media setting); render-failure.json says why and the job fails.</summary>
    public const int Refused = 3;

    /// <summary>EX_TEMPFAIL (sysexits.h): a transient fault (the blob store, ffmpeg crashing); the render stage retries with a new execution.</summary>
    public const int RetryLater = 75;

    /// <summary>128 + SIGTERM: stopped (Cloud Run's SIGTERM, or Ctrl+C) mid-render; nothing was stored as a result.</summary>
    public const int Interrupted = 143;
}

using ViralForge.Adapters.ElevenLabs;
using ViralForge.Adapters.OpenAI;

namespace ViralForge.Adapters;

/// <summary>One queue's dispatch limits: Cloud Tasks' --max-concurrent-dispatches and --max-dispatches-per-second.</summary>
public sealed record QueueDispatchLimits(int MaxConcurrent, double MaxPerSecond);

/// <summary>
/// The vf-script and vf-voice queues' dispatch limits in production, from the same numbers the paid providers hold in
/// process (VoiceLimiter): cloudbuild.yaml's _SCRIPT_MAX_* and _VOICE_MAX_* defaults are these for the options' defaults
/// (CloudBuildTests), so the queue never dispatches more at once, or faster, than the vendor's plan takes.
/// </summary>
public static class PaidQueueLimits
{
    /// <summary>Every vf-script task makes OpenAI calls: OpenAI:MaxConcurrentRequests at once, OpenAI:RequestsPerMinute over 60 a second.</summary>
    public static QueueDispatchLimits Script(OpenAIOptions openAI)
    {
        ArgumentNullException.ThrowIfNull(openAI);
        return new(openAI.MaxConcurrentRequests, PerSecond(openAI.RequestsPerMinute));
    }

    /// <summary>
    /// One vf-voice queue carries every row's voice, and any task may be for either vendor, so the stricter of the two
    /// holds: the smaller concurrency and the smaller requests per minute of ElevenLabs and the OpenAI voice.
    /// </summary>
    public static QueueDispatchLimits Voice(ElevenLabsOptions elevenLabs, OpenAIVoiceOptions openAIVoice)
    {
        ArgumentNullException.ThrowIfNull(elevenLabs);
        ArgumentNullException.ThrowIfNull(openAIVoice);
        return new(
            Math.Min(elevenLabs.MaxConcurrentRequests, openAIVoice.VoiceMaxConcurrentRequests),
            PerSecond(Math.Min(elevenLabs.RequestsPerMinute, openAIVoice.VoiceRequestsPerMinute)));
    }

    /// <summary>Requests a minute as dispatches a second, rounded down to hundredths so the queue never exceeds the rate.</summary>
    private static double PerSecond(int requestsPerMinute) => Math.Floor(requestsPerMinute * 100.0 / 60) / 100;
}

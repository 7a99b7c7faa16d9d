using System.ComponentModel.DataAnnotations;

namespace ViralForge.Core.Webhooks;

/// <summary>How webhooks are delivered (section ViralForge:Webhooks), validated at start-up.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "ViralForge:Webhooks";

    /// <summary>How long one POST may take before it counts as failed and the queue retries it. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A subscription whose deliveries have all failed for this long is disabled. Default one day.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Let subscriptions point at loopback and private addresses (a receiver on this machine or the local network).
    /// For the local profile only: the gcp profile refuses the setting, since there it would open the SSRF hole the guard closes.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Most entries GET /webhooks/{id}/deliveries returns.</summary>
    [Range(1, 1000)]
    public int DeliveryLogPage { get; set; } = 100;
}

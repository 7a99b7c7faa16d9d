namespace ViralForge.Adapters.YouTube;

/// <summary>
/// The quota day a moment falls in, in the time zone where a platform resets its quota (YouTube: midnight Pacific).
/// Midnight is never in a daylight-saving gap there (the clocks change at 02:00), so each day starts at one instant;
/// a day is 23 or 25 hours long when the clocks change in it.
/// </summary>
public static class QuotaDay
{
    /// <summary>When the day of <paramref name="now"/> started and when the next one starts, as instants.</summary>
    public static (DateTimeOffset Start, DateTimeOffset Next) Of(DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        var tomorrow = today.AddDays(1);
        return (new DateTimeOffset(today, zone.GetUtcOffset(today)), new DateTimeOffset(tomorrow, zone.GetUtcOffset(tomorrow)));
    }
}

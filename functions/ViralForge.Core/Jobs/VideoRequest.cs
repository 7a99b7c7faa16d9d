namespace ViralForge.Core.Jobs;

/// <summary>Where a video goes. A row's Platform cell says youtube, tiktok or both.</summary>
[Flags]
public enum Platforms
{
    None = 0,
    YouTube = 1,
    TikTok = 2,
    Both = YouTube | TikTok,
}

/// <summary>A validated sheet row: everything the stages need to know about the video the person asked for.</summary>
public sealed record VideoRequest(
    string Topic,
    Platforms Platforms,
    int DurationSeconds,
    string Style,
    string Voice,
    string Language,
    DateTimeOffset? PublishAt,
    IReadOnlyList<string> Hashtags,
    string Notes);

namespace ViralForge.Render;

/// <summary>The part of a vertical frame that TikTok, YouTube Shorts and Instagram Reels leave uncovered by their own buttons and text, as insets from each edge in pixels.</summary>
/// <remarks>
/// The three apps draw over the video, and what they draw moves between versions, so the insets are the envelope
/// of their published safe-zone guides for 1080x1920, rounded outwards and kept as fractions so any 9:16 size works:
/// <list type="bullet">
/// <item>Bottom 22%: the account name, description, music ticker and (Shorts) subscribe button stack up from the
/// bottom edge; on TikTok with a two-line description they reach about 20% of the height.</item>
/// <item>Right 15%: TikTok's avatar, like, comment, share and sound column (and the same column on Reels and
/// Shorts) is about 120-140 px wide at 1080.</item>
/// <item>Top 10%: the "Following | For You" tabs, search and live icons, and the status bar above them.</item>
/// <item>Left 7%: no app draws here, but text touching the edge is hard to read and some phones round or crop the
/// corners; 7% is the padding captions always had.</item>
/// </list>
/// </remarks>
public sealed record SafeArea(int FrameWidth, int FrameHeight, int Left, int Top, int Right, int Bottom)
{
    public const double LeftFraction = 0.07;

    public const double TopFraction = 0.10;

    public const double RightFraction = 0.15;

    public const double BottomFraction = 0.22;

    /// <summary>Width of the uncovered area in pixels.</summary>
    public int Width => FrameWidth - Left - Right;

    /// <summary>Height of the uncovered area in pixels.</summary>
    public int Height => FrameHeight - Top - Bottom;

    /// <summary>The safe area of a frame this size.</summary>
    public static SafeArea For(int frameWidth, int frameHeight) =>
        new(
            frameWidth,
            frameHeight,
            (int)Math.Round(frameWidth * LeftFraction),
            (int)Math.Round(frameHeight * TopFraction),
            (int)Math.Round(frameWidth * RightFraction),
            (int)Math.Round(frameHeight * BottomFraction));

    /// <summary>Whether a pixel lies inside the uncovered area.</summary>
    public bool Contains(int x, int y) => x >= Left && x < FrameWidth - Right && y >= Top && y < FrameHeight - Bottom;
}

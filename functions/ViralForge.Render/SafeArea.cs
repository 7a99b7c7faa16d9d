namespace ViralForge.Render;

/// <summary>
/// The part of a frame that the platforms leave uncovered by their own buttons and text, as insets from each edge in
/// pixels. The insets depend on the frame's shape: a vertical video plays full screen under the apps' buttons, a square
/// or landscape one plays in a feed or a player.
/// </summary>
/// <remarks>
/// Vertical (9:16): the three apps draw over the video, and what they draw moves between versions, so the insets are
/// the envelope of their published safe-zone guides for 1080x1920, rounded outwards and kept as fractions so any 9:16
/// size works:
/// <list type="bullet">
/// <item>Bottom 22%: the account name, description, music ticker and (Shorts) subscribe button stack up from the
/// bottom edge; on TikTok with a two-line description they reach about 20% of the height.</item>
/// <item>Right 15%: TikTok's avatar, like, comment, share and sound column (and the same column on Reels and
/// Shorts) is about 120-140 px wide at 1080.</item>
/// <item>Top 10%: the "Following | For You" tabs, search and live icons, and the status bar above them.</item>
/// <item>Left 7%: no app draws here, but text touching the edge is hard to read and some phones round or crop the
/// corners; 7% is the padding captions always had.</item>
/// </list>
/// Landscape (16:9, a YouTube long-form video): the player draws nothing over the picture but its controls and progress
/// bar, about the bottom 10% while the pointer is over it; the rest is the broadcast "title safe" margin of 5% a side,
/// which also keeps text clear of TVs' overscan. Square (1:1, feeds): nothing is drawn over the picture in a feed, but
/// a square shown in a vertical player gets the player's bottom bar, so the bottom keeps 12% and the sides 6%.
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

    /// <summary>The safe area of a frame this size: vertical, square or landscape insets by its shape.</summary>
    public static SafeArea For(int frameWidth, int frameHeight)
    {
        var (left, top, right, bottom) = frameHeight >= frameWidth * 1.3 ? (LeftFraction, TopFraction, RightFraction, BottomFraction)
            : frameWidth >= frameHeight * 1.3 ? (0.05, 0.05, 0.05, 0.12)
            : (0.06, 0.06, 0.06, 0.12);
        return new(
            frameWidth,
            frameHeight,
            (int)Math.Round(frameWidth * left),
            (int)Math.Round(frameHeight * top),
            (int)Math.Round(frameWidth * right),
            (int)Math.Round(frameHeight * bottom));
    }

    /// <summary>Whether a pixel lies inside the uncovered area.</summary>
    public bool Contains(int x, int y) => x >= Left && x < FrameWidth - Right && y >= Top && y < FrameHeight - Bottom;
}

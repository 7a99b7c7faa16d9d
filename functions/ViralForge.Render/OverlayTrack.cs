using System.Globalization;
using System.Text;
using ViralForge.Core.Ports;

namespace ViralForge.Render;

/// <summary>
/// Text overlays (a watermark, a handle) as an ASS track drawn by libass, like the captions: every script is shaped
/// and falls back to an installed font that has its glyphs, and the text is escaped so it can never become markup.
/// </summary>
public static class OverlayTrack
{
    /// <summary>The whole ASS file for the plan's text overlays, shown from the first frame to the last; null when there are none.</summary>
    public static string? BuildAss(RenderPlan plan, string fontFamily)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var texts = plan.Overlays.Select((o, i) => (Overlay: o, Index: i)).Where(o => o.Overlay.Text is not null).ToList();
        if (texts.Count == 0)
        {
            return null;
        }

        var output = plan.Output;
        var safe = SafeArea.For(output.Width, output.Height);
        var fontSize = (int)Math.Round(output.Height * 0.026);
        var outline = Math.Max(1, (int)Math.Round(output.Height * 0.0012));
        var end = CaptionTrack.FormatTime((long)Math.Ceiling(Timeline.LengthSeconds(plan.Scenes, output.FramesPerSecond) * 100));
        var ass = new StringBuilder();
        ass.Append(CultureInfo.InvariantCulture, $"""
            [Script Info]
            ; Overlays written by ViralForge
            ScriptType: v4.00+
            PlayResX: {output.Width}
            PlayResY: {output.Height}
            WrapStyle: 2
            ScaledBorderAndShadow: yes

            [V4+ Styles]
            Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding

            """);
        foreach (var (overlay, index) in texts)
        {
            // ASS alpha counts transparency: 00 is opaque, FF invisible.
            var alpha = ((int)Math.Round((1 - overlay.Opacity) * 255)).ToString("X2", CultureInfo.InvariantCulture);
            var shadowAlpha = ((int)Math.Round((1 - (overlay.Opacity * 0.6)) * 255)).ToString("X2", CultureInfo.InvariantCulture);
            var alignment = overlay.Position switch
            {
                OverlayPosition.TopRight => 9,
                OverlayPosition.TopCenter => 8,
                _ => 7,
            };
            // In the safe area's top corner; the outline sticks out past the margins, so they leave room for it.
            ass.Append(CultureInfo.InvariantCulture, $"Style: Overlay{index},{fontFamily.Replace(',', ' ')},{fontSize},&H{alpha}FFFFFF,&H{alpha}FFFFFF,&H{shadowAlpha}000000,&H{shadowAlpha}000000,-1,0,0,0,100,100,0,0,1,{outline},0,{alignment},{safe.Left + outline},{safe.Right + outline},{safe.Top + outline},1\n");
        }

        ass.Append("\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n");
        foreach (var (overlay, index) in texts)
        {
            // One line: an overlay is a mark in the corner, not a paragraph.
            var line = string.Join(' ', overlay.Text!.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            ass.Append(CultureInfo.InvariantCulture, $"Dialogue: 1,0:00:00.00,{end},Overlay{index},,0,0,0,,{CaptionTrack.EscapeText(line)}\n");
        }

        return ass.ToString();
    }
}

using System.Globalization;
using System.Text;

namespace ViralForge.Bot.Slack;

/// <summary>
/// User text made safe for Block Kit: &amp;, &lt; and &gt; escaped in mrkdwn (so "&lt;!channel&gt;" in a hook pings
/// nobody and a "&lt;url|label&gt;" cannot be forged), and cut to a field's limit at a whole character (never inside
/// an emoji or an escape), marked with an ellipsis.
/// </summary>
public static class SlackText
{
    private const string Ellipsis = "…";

    /// <summary>Escapes Slack's three control characters; the rest of mrkdwn (bold, italics) stays the user's.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
    }

    /// <summary>User text for a mrkdwn field: escaped, then cut to at most <paramref name="max"/> characters.</summary>
    public static string Mrkdwn(string? text, int max) => Fit(text ?? "", max, escape: true);

    /// <summary>User text for a plain_text field (Slack shows it as is): cut to at most <paramref name="max"/> characters.</summary>
    public static string Plain(string? text, int max) => Fit(text ?? "", max, escape: false);

    /// <summary>
    /// Joins pieces already safe for mrkdwn (escaped user text, our own markup) and cuts the result to
    /// <paramref name="max"/> at a whole text element; an escape sequence is kept whole or dropped.
    /// </summary>
    public static string Join(int max, params string[] safePieces) => Fit(string.Concat(safePieces), max, escape: false, keepEntities: true);

    private static string Fit(string text, int max, bool escape, bool keepEntities = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 2);
        var whole = escape ? Escape(text) : text;
        if (whole.Length <= max)
        {
            return whole;
        }

        var budget = max - Ellipsis.Length;
        var result = new StringBuilder(max);
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            var piece = escape ? Escape(element) : element;
            if (keepEntities && element == "&" && EntityAt(text, elements.ElementIndex) is { } entity)
            {
                // An escape already in safe text (&amp;, &lt;, &gt;) is one unit: whole or not at all.
                piece = entity;
                for (var i = 1; i < entity.Length; i++)
                {
                    elements.MoveNext();
                }
            }
            if (result.Length + piece.Length > budget)
            {
                break;
            }
            result.Append(piece);
        }
        return result.Append(Ellipsis).ToString();
    }

    private static string? EntityAt(string text, int index)
    {
        foreach (var entity in (ReadOnlySpan<string>)["&amp;", "&lt;", "&gt;"])
        {
            if (string.CompareOrdinal(text, index, entity, 0, entity.Length) == 0)
            {
                return entity;
            }
        }
        return null;
    }
}

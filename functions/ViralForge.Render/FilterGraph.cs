using System.Globalization;
using System.Text;

namespace ViralForge.Render;

/// <summary>Text helpers for ffmpeg filtergraphs: quoting option values and formatting numbers the same on every machine.</summary>
public static class FilterGraph
{
    /// <summary>
    /// Escapes a value (a path, an expression) for use as one filter option inside a -filter_complex or -vf graph.
    /// ffmpeg unescapes twice: the graph parser first (it splits on [ ] , ; and honours \ and '), then the filter's
    /// option parser (it splits on : and honours \ and '). So the value is escaped for the option parser, and that
    /// result again for the graph parser.
    /// </summary>
    public static string Value(string value) => Escape(Escape(value, @"\':"), @"\'[],;");

    /// <summary>A number with at most three decimals and a dot, whatever the current culture.</summary>
    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>An integer in the invariant culture.</summary>
    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string value, string specials)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (specials.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}

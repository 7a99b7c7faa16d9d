using System.Globalization;
using System.Text;
using ViralForge.Core.Sheets;

namespace ViralForge.Cli;

/// <summary>
/// The sheet `vf bench load` makes when it is not given one: varied topics in English and Spanish, every platform,
/// durations around the asked length and, unless plain, the cells people really paste (formula-looking text, very
/// long text, emoji, right-to-left script, quotes, commas and line breaks inside a cell) and two rows intake must
/// refuse, so a load run also shows that hostile input neither stops the pipeline nor reaches the video unescaped.
/// </summary>
public static class LoadSheet
{
    public static IReadOnlyList<string> Columns { get; } =
        [SheetContract.Topic, SheetContract.Platform, SheetContract.Duration, SheetContract.Style, SheetContract.Voice,
            SheetContract.Language, SheetContract.PublishAt, SheetContract.Hashtags, SheetContract.Notes];

    private static readonly (string Topic, string Language, string Hashtags, string Notes)[] Ideas =
    [
        ("Three habits of people who never miss a deadline", "en", "#productivity #work", "Start with the calendar, not the to-do list."),
        ("Why cats sleep sixteen hours a day", "en", "#cats #science", "Mention that cats are crepuscular."),
        ("Cómo ahorrar dinero en el supermercado", "es", "#ahorro #dinero", "Haz una lista antes de salir de casa."),
        ("How to cook rice without a rice cooker", "en", "#cooking #rice", "Rinse the rice first. Let it rest covered."),
        ("Tres ejercicios para la espalda en la oficina", "es", "#salud #oficina", "Sin equipo, sentado en la silla."),
        ("What happens to your body when you stop drinking soda", "en", "#health", "Keep it factual, no miracle claims."),
        ("Five budget travel tricks for Europe", "en", "#travel #budget", "Night trains and city passes."),
        ("Por qué los pulpos tienen tres corazones", "es", "#ciencia #animales", "Dos bombean a las branquias."),
        ("How volcanoes make new islands", "en", "#geology #earth", "Use Hawaii and Surtsey as examples."),
        ("Receta rápida de tortilla española", "es", "#cocina #receta", "Con cebolla o sin cebolla: elige."),
        ("The history of the paperclip in one minute", "en", "#history #design", "The Gem clip was never patented."),
        ("Learn one guitar chord that unlocks fifty songs", "en", "#guitar #music", "G major, then the easy version."),
        ("Consejos para dormir mejor esta noche", "es", "#sueño #bienestar", "Luz tenue una hora antes de dormir."),
        ("Why the sky turns red at sunset", "en", "#science #sky", "Rayleigh scattering, in plain words."),
        ("How to remember names at a party", "en", "#memory #social", "Say the name back once."),
    ];

    private const int HostileKinds = 6;

    private static readonly string[] Platforms = ["youtube", "tiktok", "both"];
    private static readonly string[] Styles = ["clean", "energetic", "warm", "bold"];

    /// <summary>The CSV text of a sheet of <paramref name="rows"/> rows (header not counted).</summary>
    /// <param name="seconds">The length rows ask for; each row asks for it or 20% less or more, within 10 to 90 s.</param>
    /// <param name="plain">No hostile cells and no invalid rows: every row is a valid, ordinary request.</param>
    public static string Generate(int rows, int seconds, bool plain)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var invalid = plain ? new List<int>() : InvalidRowIndexes(rows);
        var text = new StringBuilder();
        text.Append(string.Join(',', Columns)).Append('\n');
        for (var i = 0; i < rows; i++)
        {
            var (topic, language, hashtags, notes) = Ideas[i % Ideas.Length];
            // Repeats of an idea get their round in the topic: identical rows would be refused as duplicates.
            var round = i / Ideas.Length;
            if (round > 0)
            {
                topic = language == "es" ? $"{topic}, parte {round + 1}" : $"{topic}, part {round + 1}";
            }
            var duration = Math.Clamp((int)Math.Round(seconds * (1 + (0.2 * ((i % 3) - 1)))), RowValidator.MinDurationSeconds, RowValidator.MaxDurationSeconds)
                .ToString(CultureInfo.InvariantCulture);
            var cells = new Dictionary<string, string>
            {
                [SheetContract.Topic] = topic,
                [SheetContract.Platform] = Platforms[i % Platforms.Length],
                [SheetContract.Duration] = duration,
                [SheetContract.Style] = Styles[i % Styles.Length],
                [SheetContract.Voice] = "",
                [SheetContract.Language] = language,
                [SheetContract.PublishAt] = "",
                [SheetContract.Hashtags] = hashtags,
                [SheetContract.Notes] = notes,
            };
            if (invalid.IndexOf(i) is var which and >= 0)
            {
                MakeInvalid(cells, which);
            }
            else if (!plain && i % 2 == 1)
            {
                MakeHostile(cells, i / 2);
                if (i / 2 / HostileKinds is > 0 and var take)
                {
                    // The same hostile topic again: the notes tell the rows apart, or intake would refuse a duplicate.
                    cells[SheetContract.Notes] += $" Take {take + 1}.";
                }
            }
            text.Append(string.Join(',', Columns.Select(c => Quote(cells[c])))).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Where the refused rows go: in the middle of the sheet, so the rows after them show that the others go on.</summary>
    private static List<int> InvalidRowIndexes(int rows) => rows switch
    {
        1 => [],
        < 6 => [rows / 2],
        _ => [rows / 3, 2 * rows / 3],
    };

    private static void MakeInvalid(Dictionary<string, string> cells, int which)
    {
        if (which == 0)
        {
            cells[SheetContract.Duration] = "5000";
        }
        else
        {
            cells[SheetContract.Topic] = "";
            cells[SheetContract.Notes] = "A row someone started and never gave a topic.";
        }
    }

    /// <summary>One kind of hostile cell per row, in turn; the rest of the row stays an ordinary request.</summary>
    private static void MakeHostile(Dictionary<string, string> cells, int kind)
    {
        switch (kind % HostileKinds)
        {
            case 0:
                // What a spreadsheet would run as a formula (CSV injection): it must stay text everywhere.
                cells[SheetContract.Topic] = "=HYPERLINK(\"http://x\",\"y\") and other spreadsheet tricks";
                cells[SheetContract.Notes] = "@SUM(A1:A9) -2+3";
                break;
            case 1:
                cells[SheetContract.Topic] = "+cmd|' /C calc'!A0 why you never open a strange spreadsheet";
                cells[SheetContract.Notes] = "-1+1 is not a formula here.";
                break;
            case 2:
                // Just under the topic limit, with notes far longer than any script can use.
                cells[SheetContract.Topic] = Repeat("The very long topic that keeps going about sourdough starters ", RowValidator.MaxTopicLength - 10);
                cells[SheetContract.Notes] = Repeat("Feed the starter every day, keep it warm, and be patient with it. ", 4000);
                break;
            case 3:
                cells[SheetContract.Topic] = "🔥 Cat facts 🐱 that will blow your mind 🤯 👨‍👩‍👧‍👦";
                cells[SheetContract.Hashtags] = "#cats #🐱";
                break;
            case 4:
                // Arabic and Hebrew, and a right-to-left override character that must not reverse the captions.
                cells[SheetContract.Topic] = "لماذا تنام القطط كثيرا Why cats sleep so much";
                cells[SheetContract.Notes] = "שלום עולם. \u202Edesrever txet\u202C Keep it short.";
                break;
            default:
                cells[SheetContract.Topic] = "Say \"no\", then, say \"yes\": a lesson in boundaries";
                cells[SheetContract.Notes] = "Line one.\nLine two, with a comma.\r\nLine \"three\", quoted.";
                break;
        }
    }

    private static string Repeat(string text, int length)
    {
        var builder = new StringBuilder(length + text.Length);
        while (builder.Length < length)
        {
            builder.Append(text);
        }
        return builder.ToString(0, length).TrimEnd();
    }

    /// <summary>RFC 4180: a cell with a quote, comma or line break is quoted, with quotes doubled.</summary>
    internal static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}

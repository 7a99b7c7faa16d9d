using System.Globalization;
using System.Text;

namespace ViralForge.Adapters.Local;

/// <summary>A family of topics (food, money, ...): the hue its palettes lean to and the glyphs it falls back on.</summary>
public sealed record GlyphTheme(string Name, int Hue, IReadOnlyList<string> Fallbacks);

/// <summary>
/// The large glyph an offline beat shows, chosen from its words: a table of common words to emoji code points, all of
/// them in the outline emoji font (Symbola, <see cref="Core.MediaOptions.GlyphFontFile"/>), grouped by theme. A beat
/// whose words the table does not know gets one of its video's theme's fallbacks, so every beat has a glyph that fits
/// the topic, and no glyph shows twice in a video while the table has another.
/// </summary>
public static class BeatGlyphs
{
    /// <summary>Shown when neither the beat nor the topic names anything the table knows.</summary>
    public static GlyphTheme General { get; } = new("general", -1, ["\u2728", "\U0001F4A1", "\u2B50", "\U0001F3AF", "\U0001F525", "\U0001F680", "\U0001F440", "\u2764"]);

    /// <summary>Themes by name; the hue is what <see cref="OfflinePalette"/> leans a topic of that theme to.</summary>
    public static IReadOnlyDictionary<string, GlyphTheme> Themes { get; } = new Dictionary<string, GlyphTheme>(StringComparer.Ordinal)
    {
        ["food"] = new("food", 22, ["\U0001F37D", "\U0001F373", "\U0001F374", "\U0001F372"]),
        ["money"] = new("money", 140, ["\U0001F4B0", "\U0001F4B5", "\U0001F4C8", "\U0001F3E6"]),
        ["fitness"] = new("fitness", 8, ["\U0001F4AA", "\U0001F3C3", "\u26A1", "\U0001F3C6"]),
        ["travel"] = new("travel", 195, ["\u2708", "\U0001F5FA", "\U0001F30D", "\U0001F3D6"]),
        ["tech"] = new("tech", 222, ["\U0001F4BB", "\U0001F4F1", "\U0001F916", "\U0001F680"]),
        ["pets"] = new("pets", 32, ["\U0001F43E", "\U0001F408", "\U0001F415", "\U0001F426"]),
        ["plants"] = new("plants", 112, ["\U0001F331", "\U0001F33F", "\U0001F333", "\U0001F338"]),
        ["time"] = new("time", 265, ["\u23F0", "\u231B", "\u23F1", "\U0001F4C5"]),
        ["sleep"] = new("sleep", 245, ["\U0001F634", "\U0001F319", "\U0001F4A4", "\U0001F6CF"]),
        ["home"] = new("home", 30, ["\U0001F3E0", "\U0001F6CB", "\U0001F6AA", "\U0001F56F"]),
        ["learning"] = new("learning", 48, ["\U0001F4DA", "\U0001F4D6", "\U0001F393", "\U0001F9E0"]),
        ["people"] = new("people", 330, ["\U0001F60A", "\u2764", "\U0001F91D", "\U0001F389"]),
    };

    /// <summary>Word (singular, lower case) to its theme and glyph.</summary>
    public static IReadOnlyDictionary<string, (string Theme, string Glyph)> Words { get; } = BuildWords();

    /// <summary>
    /// The theme most of these words belong to (the topic's and the beats' words), or null when none is known. Words
    /// that fit any topic (<see cref="GenericWords"/>: "why", "new", "follow") do not count; a tie goes to the theme
    /// named first in the text.
    /// </summary>
    public static GlyphTheme? ThemeOf(IEnumerable<string?> texts)
    {
        var counts = new Dictionary<string, (int Count, int First)>(StringComparer.Ordinal);
        var position = 0;
        foreach (var word in texts.SelectMany(WordsOf))
        {
            position++;
            if (!GenericWords.Contains(word) && Lookup(word) is { } hit)
            {
                var (count, first) = counts.GetValueOrDefault(hit.Theme, (0, position));
                counts[hit.Theme] = (count + 1, first);
            }
        }

        return counts.Count == 0 ? null : Themes[counts.OrderByDescending(c => c.Value.Count).ThenBy(c => c.Value.First).First().Key];
    }

    /// <summary>Words the table draws a glyph for but that say nothing about a video's theme.</summary>
    public static IReadOnlySet<string> GenericWords { get; } = new HashSet<string>(
        "why how thinking wonder question quiz secret nobody like good great follow next new magic look see watch eye mistake wrong avoid never right correct check done stop warning careful goal target aim list checklist fire hot trend trending viral happy smile best win quick fast tip trick hack idea plan note notes time day today eat eating"
            .Split(' '),
        StringComparer.Ordinal);

    /// <summary>
    /// The glyph for one beat: the first word of <paramref name="texts"/> (most telling first: the reviewer's term, the
    /// visual query, the card, the narration; generic words last) that the table knows and whose glyph is not in <paramref name="used"/>;
    /// else the theme's next unused fallback, else the general ones; a glyph repeats only when all of those are used.
    /// </summary>
    public static string Choose(IEnumerable<string?> texts, GlyphTheme? theme, IReadOnlySet<string> used, int beatIndex)
    {
        // Words that name a thing first ("cats" in "why cats purr"), then the generic ones ("why").
        var words = texts.SelectMany(WordsOf).ToList();
        foreach (var word in words.Where(w => !GenericWords.Contains(w)).Concat(words.Where(GenericWords.Contains)))
        {
            if (Lookup(word) is { } hit && !used.Contains(hit.Glyph))
            {
                return hit.Glyph;
            }
        }

        var fallbacks = (theme?.Fallbacks ?? []).Concat(General.Fallbacks).ToList();
        return fallbacks.FirstOrDefault(g => !used.Contains(g)) ?? fallbacks[beatIndex % fallbacks.Count];
    }

    /// <summary>A word's entry, trying it as written and then as a singular ("cats", "dishes", "berries").</summary>
    public static (string Theme, string Glyph)? Lookup(string word)
    {
        if (Words.TryGetValue(word, out var hit))
        {
            return hit;
        }

        string[] singulars = word.Length < 4 ? [] : [word[..^1], word.EndsWith("es", StringComparison.Ordinal) ? word[..^2] : string.Empty, word.EndsWith("ies", StringComparison.Ordinal) ? word[..^3] + "y" : string.Empty];
        foreach (var singular in singulars)
        {
            if (singular.Length > 0 && word.EndsWith('s') && Words.TryGetValue(singular, out hit))
            {
                return hit;
            }
        }

        return null;
    }

    /// <summary>Lower-case words of a text, split on anything that is not a letter or digit.</summary>
    public static IEnumerable<string> WordsOf(string? text)
    {
        var word = new StringBuilder();
        foreach (var c in (text ?? string.Empty).ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    /// <summary>The code points of a glyph as U+XXXX, for messages and tests.</summary>
    public static string CodePoints(string glyph) =>
        string.Join(' ', glyph.EnumerateRunes().Select(r => string.Create(CultureInfo.InvariantCulture, $"U+{r.Value:X4}")));

    private static Dictionary<string, (string Theme, string Glyph)> BuildWords()
    {
        // One line per glyph: the theme, the glyph, and the words that call for it. Every code point is one Symbola has
        // (checked by the tests against the installed font), which rules out emoji newer than Unicode 9 or so.
        (string Theme, string Glyph, string Words)[] rows =
        [
            ("food", "\u2615", "coffee espresso latte cafe caffeine"),
            ("food", "\U0001F375", "tea matcha"),
            ("food", "\U0001F35D", "pasta spaghetti"),
            ("food", "\U0001F355", "pizza"),
            ("food", "\U0001F354", "burger hamburger"),
            ("food", "\U0001F35E", "bread toast sandwich"),
            ("food", "\U0001F370", "cake dessert"),
            ("food", "\U0001F36A", "cookie biscuit"),
            ("food", "\U0001F34E", "apple"),
            ("food", "\U0001F34B", "lemon lime citrus"),
            ("food", "\U0001F95A", "egg"),
            ("food", "\U0001F9C0", "cheese"),
            ("food", "\U0001F951", "avocado"),
            ("food", "\U0001F955", "carrot vegetable veggie"),
            ("food", "\U0001F957", "salad"),
            ("food", "\U0001F372", "soup stew"),
            ("food", "\U0001F35A", "rice"),
            ("food", "\U0001F35C", "noodle ramen"),
            ("food", "\U0001F36B", "chocolate"),
            ("food", "\U0001F377", "wine"),
            ("food", "\U0001F37A", "beer"),
            ("food", "\U0001F373", "cook cooking recipe kitchen pan fry"),
            ("food", "\U0001F37D", "dinner meal lunch food eat eating"),
            ("food", "\U0001F95E", "breakfast pancake"),
            ("food", "\U0001F36C", "sugar candy sweet"),
            ("food", "\U0001F95B", "milk"),
            ("food", "\U0001F347", "fruit grape"),
            ("food", "\U0001F34C", "banana"),
            ("food", "\U0001F353", "strawberry berry"),
            ("food", "\U0001F336", "spicy pepper chili garlic"),
            ("money", "\U0001F4B0", "money fund save saving savings wealth"),
            ("money", "\U0001F4B5", "cash salary income paycheck pay"),
            ("money", "\U0001F4B2", "dollar dollars"),
            ("money", "\U0001F3E6", "bank account"),
            ("money", "\U0001F4CA", "budget data chart"),
            ("money", "\U0001F4C8", "invest investing stock growth"),
            ("money", "\U0001F4B3", "debt credit card"),
            ("money", "\U0001F48E", "rich luxury diamond"),
            ("money", "\U0001F3F7", "price deal discount"),
            ("money", "\U0001F6D2", "shop shopping buy grocery"),
            ("money", "\U0001F6A8", "emergency"),
            ("money", "\U0001F4C4", "tax bill invoice"),
            ("fitness", "\U0001F4AA", "workout exercise muscle strength strong fitness"),
            ("fitness", "\U0001F3CB", "gym weight lift lifting equipment"),
            ("fitness", "\U0001F3C3", "run running runner jog cardio"),
            ("fitness", "\U0001F938", "jumping jack stretch stretching plank"),
            ("fitness", "\U0001F9D8", "yoga meditation meditate mindful breathe"),
            ("fitness", "\U0001F6B4", "bike cycling bicycle"),
            ("fitness", "\U0001F3CA", "swim swimming pool"),
            ("fitness", "\U0001F6B6", "walk walking hike hiking"),
            ("fitness", "\U0001F45F", "step shoe sneaker"),
            ("fitness", "\u26BD", "sport football soccer"),
            ("fitness", "\U0001F3C0", "basketball"),
            ("fitness", "\U0001F3BE", "tennis"),
            ("fitness", "\U0001F3C6", "win winner trophy champion best"),
            ("fitness", "\U0001F3C5", "medal"),
            ("fitness", "\u26A1", "energy power quick fast"),
            ("travel", "\u2708", "travel flight plane airport fly"),
            ("travel", "\U0001F5FA", "trip map journey adventure"),
            ("travel", "\U0001F3D6", "beach sand vacation holiday"),
            ("travel", "\U0001F30A", "ocean sea wave surf"),
            ("travel", "\u26F0", "mountain peak climb"),
            ("travel", "\u26FA", "camping camp tent"),
            ("travel", "\U0001F697", "car drive driving road"),
            ("travel", "\U0001F686", "train rail"),
            ("travel", "\U0001F68C", "bus"),
            ("travel", "\U0001F3D9", "city town"),
            ("travel", "\U0001F3E8", "hotel"),
            ("travel", "\U0001F6C2", "passport visa"),
            ("travel", "\U0001F30D", "world earth globe planet"),
            ("travel", "\U0001F3DD", "island"),
            ("travel", "\u2600", "sun sunny summer"),
            ("travel", "\U0001F6A2", "ship cruise"),
            ("travel", "\u26F5", "boat sail sailing"),
            ("tech", "\U0001F4F1", "phone smartphone app mobile"),
            ("tech", "\U0001F4BB", "computer laptop code coding programming software developer"),
            ("tech", "\U0001F916", "robot ai bot automation automate"),
            ("tech", "\U0001F310", "internet web website online"),
            ("tech", "\U0001F4E7", "email mail inbox"),
            ("tech", "\U0001F50B", "battery charge charging"),
            ("tech", "\U0001F4A1", "idea tip hack trick lightbulb"),
            ("tech", "\U0001F680", "rocket startup launch"),
            ("tech", "\U0001F4F7", "camera photo picture"),
            ("tech", "\U0001F3AC", "video film movie"),
            ("tech", "\U0001F3AE", "game gaming gamer"),
            ("tech", "\U0001F3B5", "music song playlist"),
            ("tech", "\U0001F512", "security privacy lock safe"),
            ("tech", "\U0001F511", "password key"),
            ("tech", "\u2699", "setting gear tool engine"),
            ("tech", "\U0001F52C", "science scientist research experiment"),
            ("tech", "\U0001F6F0", "satellite space"),
            ("pets", "\U0001F408", "cat kitty purr whisker"),
            ("pets", "\U0001F431", "kitten"),
            ("pets", "\U0001F415", "dog"),
            ("pets", "\U0001F436", "puppy"),
            ("pets", "\U0001F41F", "fish aquarium"),
            ("pets", "\U0001F426", "bird parrot"),
            ("pets", "\U0001F407", "rabbit bunny"),
            ("pets", "\U0001F40E", "horse"),
            ("pets", "\U0001F43E", "pet paw animal"),
            ("pets", "\U0001F422", "turtle tortoise"),
            ("pets", "\U0001F41D", "bee honey"),
            ("pets", "\U0001F98B", "butterfly"),
            ("pets", "\U0001F40B", "whale"),
            ("plants", "\U0001F331", "plant seed grow growing sprout seedling"),
            ("plants", "\U0001F33B", "garden gardening sunflower"),
            ("plants", "\U0001F338", "flower blossom bloom"),
            ("plants", "\U0001F333", "tree"),
            ("plants", "\U0001F332", "forest woods pine"),
            ("plants", "\U0001F343", "leaf leaves"),
            ("plants", "\U0001F339", "rose"),
            ("plants", "\U0001F335", "cactus succulent desert"),
            ("plants", "\U0001F33F", "nature herb green"),
            ("plants", "\U0001F327", "rain rainy"),
            ("plants", "\u2744", "snow winter cold ice"),
            ("plants", "\U0001F342", "autumn"),
            ("plants", "\u26C5", "weather cloud cloudy"),
            ("time", "\u23F0", "time alarm wake"),
            ("time", "\U0001F552", "clock"),
            ("time", "\u23F1", "minute timer stopwatch"),
            ("time", "\u231B", "hour hourglass"),
            ("time", "\U0001F305", "morning sunrise dawn"),
            ("time", "\U0001F306", "evening sunset"),
            ("time", "\U0001F4C5", "calendar week today schedule date payday"),
            ("time", "\u23F3", "deadline wait waiting"),
            ("time", "\U0001F501", "routine habit daily repeat"),
            ("sleep", "\U0001F634", "sleep sleeping asleep"),
            ("sleep", "\U0001F4AD", "dream dreaming think"),
            ("sleep", "\U0001F6CF", "bed bedroom"),
            ("sleep", "\U0001F4A4", "nap tired rest snooze"),
            ("sleep", "\U0001F319", "moon night midnight"),
            ("sleep", "\u2B50", "star stars"),
            ("sleep", "\U0001F6C0", "bath relax"),
            ("home", "\U0001F3E0", "home house rent apartment"),
            ("home", "\U0001F6CB", "room sofa couch"),
            ("home", "\u2728", "clean cleaning tidy new magic sparkle"),
            ("home", "\U0001F6AA", "door"),
            ("home", "\U0001F46A", "family parent parenting"),
            ("home", "\U0001F476", "baby"),
            ("home", "\U0001F9D2", "kid child children"),
            ("home", "\U0001F56F", "candle cozy"),
            ("home", "\U0001F527", "fix repair diy"),
            ("home", "\U0001F3A8", "paint painting art design"),
            ("learning", "\U0001F4DA", "learn learning study studying lesson course"),
            ("learning", "\U0001F4D6", "book read reading story"),
            ("learning", "\U0001F4DD", "note notes exam test plan write"),
            ("learning", "\U0001F3EB", "school class"),
            ("learning", "\U0001F393", "student teacher graduate university college degree"),
            ("learning", "\u270F", "pencil writing homework"),
            ("learning", "\U0001F5E3", "language speak speaking talk"),
            ("learning", "\U0001F9E0", "brain memory smart mind focus"),
            ("learning", "\U0001F914", "why how thinking wonder"),
            ("learning", "\u2753", "question quiz"),
            ("learning", "\U0001F92B", "secret nobody"),
            ("learning", "\u2797", "math number"),
            ("learning", "\U0001F3DB", "history museum"),
            ("people", "\u2764", "love heart health healthy"),
            ("people", "\U0001F60A", "happy happiness smile"),
            ("people", "\U0001F602", "funny laugh joke"),
            ("people", "\U0001F91D", "friend team partner together"),
            ("people", "\U0001F4BC", "work job career business"),
            ("people", "\U0001F3E2", "office company"),
            ("people", "\u274C", "mistake wrong avoid never"),
            ("people", "\u2705", "right correct check done"),
            ("people", "\u270B", "stop"),
            ("people", "\u26A0", "warning danger careful"),
            ("people", "\U0001F525", "fire hot trend trending viral"),
            ("people", "\U0001F3AF", "goal target aim"),
            ("people", "\U0001F4CB", "list checklist"),
            ("people", "\U0001F381", "gift present"),
            ("people", "\U0001F389", "party celebrate celebration"),
            ("people", "\U0001F382", "birthday"),
            ("people", "\U0001F48A", "medicine pill doctor vitamin"),
            ("people", "\U0001F3E5", "hospital"),
            ("people", "\U0001F440", "look see watch eye"),
            ("people", "\U0001F449", "follow next"),
            ("people", "\U0001F514", "subscribe notification bell"),
            ("people", "\U0001F44D", "like good great"),
            ("people", "\U0001F4A7", "water drink hydrate"),
        ];

        var words = new Dictionary<string, (string Theme, string Glyph)>(StringComparer.Ordinal);
        foreach (var (theme, glyph, list) in rows)
        {
            foreach (var word in list.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                // Add, not the indexer: a word listed twice is a mistake in the table, and the type initializer says so.
                words.Add(word, (theme, glyph));
            }
        }

        return words;
    }
}

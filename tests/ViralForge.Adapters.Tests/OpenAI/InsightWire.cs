using System.Text.Json.Nodes;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Tests.OpenAI;

/// <summary>The insight model's reply (the trend_insight_v1 schema) and a trend sample to read, for the insight tests.</summary>
internal static class InsightWire
{
    public static readonly string[] Common =
    [
        "Most open with a question the viewer cannot answer.",
        "They run 20 to 35 seconds with a cut every two seconds.",
    ];

    public static readonly string[] SpanishHooks =
    [
        "¿Por qué tu gato tira todo de la mesa?",
        "Tres razones por las que tu gato odia tus vasos.",
        "Nadie te dice lo que tu gato está probando.",
    ];

    /// <summary>The reply as message.content carries it: a JSON string.</summary>
    public static string Reply(IEnumerable<string>? common = null, IEnumerable<string>? hooks = null) =>
        new JsonObject
        {
            ["common"] = new JsonArray([.. (common ?? Common).Select(l => (JsonNode?)JsonValue.Create(l))]),
            ["hook_lines"] = new JsonArray([.. (hooks ?? SpanishHooks).Select(l => (JsonNode?)JsonValue.Create(l))]),
        }.ToJsonString();

    /// <summary>
    /// <paramref name="count"/> trending cat videos; video i has (i + 1) x 100,000 views, so the last is the most viewed,
    /// and its title says its rank by views ("#1" is the most viewed).
    /// </summary>
    public static List<TrendVideo> Videos(int count = 12) =>
        [.. Enumerable.Range(0, count).Select(i => new TrendVideo(
            $"vid{i:00}",
            $"Why do cats do this #{count - i}?",
            $"Cat behaviour explained.\nhttps://example.com/{i}",
            "Cat Science",
            ["cats", "cat behavior"],
            "15",
            new DateTimeOffset(2026, 11, 20 + i % 8, 12, 0, 0, TimeSpan.Zero),
            30 + i,
            (i + 1) * 100_000L,
            (i + 1) * 4_000L,
            (i + 1) * 100L))];

    public static InsightRequest Ask(string language = "es", int videos = 10) =>
        new("pets", "Why cats knock things off tables", language, [.. Videos(videos).OrderByDescending(v => v.Views)]);
}

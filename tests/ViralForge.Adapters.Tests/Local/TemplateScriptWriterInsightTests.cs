using Microsoft.Extensions.Options;
using ViralForge.Adapters.Local;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Trends;

namespace ViralForge.Adapters.Tests.Local;

/// <summary>The offline writer and the analysis's insight: it opens with a hook line when one is in the script's language.</summary>
public sealed class TemplateScriptWriterInsightTests
{
    private static readonly string[] Hooks =
    [
        "¿Por qué tu gato tira todo de la mesa?",
        "Tres razones por las que tu gato odia tus vasos.",
        "Nadie te dice lo que tu gato está probando.",
    ];

    [Fact]
    public async Task A_hook_line_in_the_rows_language_opens_the_script()
    {
        var script = await Writer().WriteAsync(Row("es"), Analysis("es"), CancellationToken.None);

        Assert.Equal(Hooks[0], script.Hook);
        Assert.StartsWith(Hooks[0], script.NarrationText, StringComparison.Ordinal);
        Assert.InRange(script.EstimatedSeconds, 30 * 0.85, 30 * 1.15);
    }

    [Fact]
    public async Task A_regenerated_script_opens_with_another_hook_line()
    {
        var script = await Writer().WriteAsync(Row("es", "Reviewer feedback: otra apertura"), Analysis("es"), CancellationToken.None);

        Assert.Contains(script.Hook, Hooks);
        Assert.NotEqual(Hooks[0], script.Hook);
    }

    [Fact]
    public async Task A_hook_line_longer_than_the_templates_opening_is_not_used_so_a_short_row_still_fits()
    {
        string[] wordy =
        [
            "Esta es una frase de apertura muy larga que ocupa demasiadas palabras para un video corto de diez segundos.",
            "Otra frase de apertura también muy larga que no deja espacio para nada más en un video tan corto.",
            "Y una tercera frase de apertura larga que tampoco cabe en un video de diez segundos de duración total.",
        ];
        var analysis = Analysis("es") with { Insight = new TrendInsight(["Short."], wordy, "es", "openai gpt-5.4-mini", 10) };

        var withInsight = await Writer().WriteAsync(Row("es", seconds: 10), analysis, CancellationToken.None);
        var without = await Writer().WriteAsync(Row("es", seconds: 10), analysis with { Insight = null }, CancellationToken.None);

        Assert.Equal(without.Hook, withInsight.Hook);
        Assert.InRange(withInsight.EstimatedSeconds, 10 * 0.85, 10 * 1.15);
    }

    [Theory]
    [InlineData("en")] // the hook lines are Spanish, the script English
    [InlineData("ko")] // no Korean templates: the script is English, the hook lines Korean
    public async Task Hook_lines_in_another_language_than_the_script_are_not_used(string language)
    {
        var withInsight = await Writer().WriteAsync(Row(language), Analysis(language == "en" ? "es" : language), CancellationToken.None);
        var without = await Writer().WriteAsync(Row(language), Analysis(language == "en" ? "es" : language) with { Insight = null }, CancellationToken.None);

        Assert.Equal(without.Hook, withInsight.Hook);
        Assert.DoesNotContain(withInsight.Hook, Hooks);
    }

    private static TemplateScriptWriter Writer() => new(Options.Create(new ViralForgeOptions()));

    private static VideoRequest Row(string language, string notes = "", int seconds = 30) =>
        new("Why cats knock things off tables", Platforms.YouTube, seconds, "curious", "default", language, null, ["cats"], notes);

    private static TrendAnalysis Analysis(string language) => new(
        "pets", 40, 0.05, 0.06, 34, 22, 48,
        [new HookPattern("question", 12, 0.3, "Why do cats hate water?")],
        [new TagCount("cats", 20), new TagCount("cat behavior", 9)],
        ["Why do cats hate water?", "My cat vs the Christmas tree"],
        new TrendInsight(["Most open with a question."], Hooks, language, "openai gpt-5.4-mini", 10));
}

using System.Globalization;
using ViralForge.Core.Review;
using ViralForge.Core.Scripts;

namespace ViralForge.Bot.LocalPage;

/// <summary>
/// The script check form as posted by the review page: the version it edits, who checked it, and the edited text.
/// <see cref="Error"/> says what makes the form unusable (no version, no name); rule breaks in the text itself are
/// <see cref="ScriptReviews.Validate"/>'s to find.
/// </summary>
public sealed record ScriptForm(int Generation, string Reviewer, ScriptEdit Edit, string? Error)
{
    /// <summary>The form field holding how many beats follow (narration-0, card-0, narration-1, …).</summary>
    public const string BeatCountField = "beats";

    public static ScriptForm Read(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var count = int.TryParse(form[BeatCountField], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Min(n, ScriptReviews.MaxBeats + 1) : 0;
        var beats = Enumerable.Range(0, count)
            .Select(i => new ScriptBeat(form[Narration(i)].ToString(), form[Card(i)].ToString()))
            .ToList();
        var edit = new ScriptEdit(form["title"].ToString(), form["hook"].ToString(), beats, form["cta"].ToString());
        if (!int.TryParse(form["generation"], NumberStyles.None, CultureInfo.InvariantCulture, out var generation) || generation < 1)
        {
            return new ScriptForm(0, "", edit, "The form did not say which version of the script it edits (generation); reload the page and try again.");
        }
        var (reviewer, nameError) = ReviewerName.Read(form);
        return new ScriptForm(generation, reviewer ?? "", edit, nameError?.Replace("decision is recorded", "check is recorded", StringComparison.Ordinal)
            .Replace("Nothing was decided.", "Nothing was saved.", StringComparison.Ordinal));
    }

    public static string Narration(int index) => $"narration-{index.ToString(CultureInfo.InvariantCulture)}";

    public static string Card(int index) => $"card-{index.ToString(CultureInfo.InvariantCulture)}";
}

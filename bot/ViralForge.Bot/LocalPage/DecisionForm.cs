using System.Globalization;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;

namespace ViralForge.Bot.LocalPage;

/// <summary>A decision form as posted by the review page, read and checked; <see cref="Error"/> says what is wrong when it is.</summary>
/// <param name="Reviewer">The person's name from the form's Your name field (<see cref="ReviewerName"/>).</param>
public sealed record DecisionForm(
    ReviewVerdict Verdict,
    int Generation,
    string? Reason,
    StageName? Stage,
    string? Feedback,
    ReviewHtml.ReturnTo ReturnTo,
    string? Error,
    string Reviewer = "")
{
    /// <summary>The longest reason or feedback kept; a longer one is refused rather than cut.</summary>
    public const int MaxTextLength = 1000;

    public static DecisionForm Read(IFormCollection form)
    {
        var returnTo = form["return"] == "list" ? ReviewHtml.ReturnTo.List : ReviewHtml.ReturnTo.Video;
        DecisionForm Fail(string error) => new(ReviewVerdict.Approve, 0, null, null, null, returnTo, error);

        if (!int.TryParse(form["generation"], NumberStyles.None, CultureInfo.InvariantCulture, out var generation) || generation < 1)
        {
            return Fail("The form did not say which version of the video it decides (generation); reload the page and try again.");
        }
        var reason = Text(form["reason"]);
        var feedback = Text(form["feedback"]);
        if (reason?.Length > MaxTextLength || feedback?.Length > MaxTextLength)
        {
            return Fail($"Keep the reason and the feedback under {MaxTextLength} characters.");
        }
        var (reviewer, nameError) = ReviewerName.Read(form);
        if (reviewer is null)
        {
            return Fail(nameError!);
        }
        switch (form["verdict"].ToString())
        {
            case ReviewVerdicts.Approve:
                return new DecisionForm(ReviewVerdict.Approve, generation, null, null, null, returnTo, null, reviewer);
            case ReviewVerdicts.Reject:
                return reason is null
                    ? Fail("Say why you reject the video: the reason goes into the sheet's Error column.")
                    : new DecisionForm(ReviewVerdict.Reject, generation, reason, null, null, returnTo, null, reviewer);
            case ReviewVerdicts.Regenerate:
                var stageText = form["stage"].ToString();
                if (!StageOrder.TryParse(stageText, out var stage) || !ReviewHtml.RegenerableStages.Contains(stage) || stageText != stage.Wire())
                {
                    return Fail($"Choose what to regenerate: {string.Join(", ", ReviewHtml.RegenerableStages.Select(s => s.Wire()))}.");
                }
                return new DecisionForm(ReviewVerdict.Regenerate, generation, null, stage, feedback, returnTo, null, reviewer);
            default:
                return Fail("Choose Approve, Reject or Regenerate.");
        }
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

using System.Diagnostics.CodeAnalysis;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Review;

/// <summary>
/// The one spelling of a decision: approve, reject, regenerate (<see cref="ReviewVerdict"/>'s wire names), in
/// review_decisions, in the review stage's output and in the job's history. "approved" and "rejected" are job statuses
/// (<see cref="Jobs.JobStatus"/>), not verdicts.
/// </summary>
public static class ReviewVerdicts
{
    public const string Approve = "approve";

    public const string Reject = "reject";

    public const string Regenerate = "regenerate";

    /// <summary>The review run's <see cref="ReviewOutput.Verdict"/> while it waits for a decision: not a verdict.</summary>
    public const string Pending = "pending";

    /// <summary>The word stored and sent for the verdict.</summary>
    public static string Wire(this ReviewVerdict verdict) => verdict switch
    {
        ReviewVerdict.Approve => Approve,
        ReviewVerdict.Reject => Reject,
        ReviewVerdict.Regenerate => Regenerate,
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "Unknown review verdict."),
    };

    /// <summary>
    /// Reads a stored verdict word. Review stage outputs written before the spelling was one (auto mode) say "approved"
    /// or "rejected"; those read as approve and reject. Pending and unknown words are no verdict.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ReviewVerdict verdict)
    {
        switch (text)
        {
            case Approve or "approved":
                verdict = ReviewVerdict.Approve;
                return true;
            case Reject or "rejected":
                verdict = ReviewVerdict.Reject;
                return true;
            case Regenerate:
                verdict = ReviewVerdict.Regenerate;
                return true;
            default:
                verdict = default;
                return false;
        }
    }

    /// <summary>"Approved by Ana": a review stage output's decision in words, for a job decided without the ledger (auto, terminal).</summary>
    public static string Describe(ReviewOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var said = TryParse(output.Verdict, out var verdict)
            ? verdict switch
            {
                ReviewVerdict.Approve => "Approved",
                ReviewVerdict.Reject => "Rejected",
                _ => "Regenerate asked",
            }
            : output.Verdict.Length == 0 ? output.Verdict : char.ToUpperInvariant(output.Verdict[0]) + output.Verdict[1..];
        return $"{said} by {output.Reviewer}";
    }
}

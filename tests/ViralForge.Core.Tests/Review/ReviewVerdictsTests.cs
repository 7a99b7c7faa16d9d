using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Review;

public sealed class ReviewVerdictsTests
{
    [Theory]
    [InlineData(ReviewVerdict.Approve, "approve")]
    [InlineData(ReviewVerdict.Reject, "reject")]
    [InlineData(ReviewVerdict.Regenerate, "regenerate")]
    public void A_verdict_is_spelled_one_way_and_reads_back(ReviewVerdict verdict, string wire)
    {
        Assert.Equal(wire, verdict.Wire());
        Assert.True(ReviewVerdicts.TryParse(wire, out var read));
        Assert.Equal(verdict, read);
    }

    [Theory]
    [InlineData("approved", ReviewVerdict.Approve)]
    [InlineData("rejected", ReviewVerdict.Reject)]
    public void Review_outputs_written_before_the_one_spelling_still_read(string stored, ReviewVerdict expected)
    {
        Assert.True(ReviewVerdicts.TryParse(stored, out var read));
        Assert.Equal(expected, read);
        Assert.StartsWith(expected == ReviewVerdict.Approve ? "Approved by auto-approve" : "Rejected by auto-approve",
            ReviewVerdicts.Describe(new ReviewOutput(stored, "auto-approve", null)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReviewVerdicts.Pending)]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Approve")]
    public void Pending_and_unknown_words_are_no_verdict(string? stored) =>
        Assert.False(ReviewVerdicts.TryParse(stored, out _));

    [Theory]
    [InlineData(StageName.Review)]
    [InlineData(StageName.Publish)]
    public void Regenerate_of_review_or_publish_is_refused_by_the_one_rule(StageName stage)
    {
        var error = Assert.Throws<ArgumentException>(() => ReviewDecisions.EnsureRegenerable(ReviewVerdict.Regenerate, stage, "decision"));

        Assert.Contains($"not {stage.Wire()}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReviewVerdict.Regenerate, StageName.Render)]
    [InlineData(ReviewVerdict.Regenerate, null)]
    [InlineData(ReviewVerdict.Approve, StageName.Publish)]
    public void Regenerate_of_a_stage_before_review_or_another_verdict_passes(ReviewVerdict verdict, StageName? stage) =>
        ReviewDecisions.EnsureRegenerable(verdict, stage, "decision");
}

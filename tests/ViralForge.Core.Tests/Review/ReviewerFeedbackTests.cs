using ViralForge.Core.Review;

namespace ViralForge.Core.Tests.Review;

public class ReviewerFeedbackTests
{
    [Fact]
    public void A_female_voice_a_bit_slower_is_a_female_voice_at_ninety_percent()
    {
        var feedback = ReviewerFeedback.Parse("Use a female voice, a bit slower");

        Assert.Equal(VoiceGender.Female, feedback.Gender);
        Assert.Equal(0.9, feedback.SpeedFactor, 3);
        Assert.True(feedback.ChangesVoice);
    }

    [Theory]
    [InlineData("male narrator please, much faster", VoiceGender.Male, 1.25)]
    [InlineData("slower", null, 0.85)]
    [InlineData("Make the hook punchier", null, 1.0)]
    public void Gender_and_pace_are_read_from_plain_words(string text, VoiceGender? gender, double speed)
    {
        var feedback = ReviewerFeedback.Parse(text);

        Assert.Equal(gender, feedback.Gender);
        Assert.Equal(speed, feedback.SpeedFactor, 3);
    }

    [Fact]
    public void What_to_show_and_the_light_become_visual_hints()
    {
        var feedback = ReviewerFeedback.Parse("Darker please, and show the beach at night. More footage of surfers!");

        Assert.Equal(-1, feedback.Brightness);
        Assert.Equal(["the beach at night", "surfers"], feedback.VisualTerms);
        Assert.False(feedback.ChangesVoice);
    }
}

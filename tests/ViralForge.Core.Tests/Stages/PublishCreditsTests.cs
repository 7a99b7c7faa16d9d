using System.Text;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Stages;

/// <summary>The description a platform gets: the script's, then a credit line per stock or generated clip, within YouTube's limit.</summary>
public sealed class PublishCreditsTests
{
    private static ClipCredit Pexels(int id, string author = "Jane Doe") =>
        new("pexels", id.ToString(System.Globalization.CultureInfo.InvariantCulture), author, null, $"https://www.pexels.com/video/{id}/", "Pexels License");

    [Fact]
    public void Generated_visuals_leave_the_description_as_the_script_wrote_it()
    {
        Assert.Equal("Five stretches.", PublishStage.DescriptionWithCredits("Five stretches.", []));
    }

    [Fact]
    public void Each_clip_gets_a_line_naming_its_author_site_and_page()
    {
        var text = PublishStage.DescriptionWithCredits("Five stretches.\n", [Pexels(1), new ClipCredit("runway", "task-9", "Runway", null, "", "Runway terms")]);

        Assert.Equal("Five stretches.\n\nCredits:\nVideo by Jane Doe on Pexels: https://www.pexels.com/video/1/\nGenerated with Runway", text);
    }

    [Fact]
    public void Credits_past_the_limit_are_summed_up_instead_of_cut_mid_line()
    {
        var description = new string('x', PublishStage.DescriptionMaxBytes - 300);
        var credits = Enumerable.Range(1, 20).Select(i => Pexels(i, "An author with a long name")).ToList();

        var text = PublishStage.DescriptionWithCredits(description, credits);

        Assert.True(Encoding.UTF8.GetByteCount(text) <= PublishStage.DescriptionMaxBytes);
        Assert.Matches(@"\nand \d+ more clips \(see the job's visuals\)$", text);
        Assert.Contains("https://www.pexels.com/video/1/\n", text);
    }
}

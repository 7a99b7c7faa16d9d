using ViralForge.Bot.Slack;

namespace ViralForge.Bot.Tests.Slack;

/// <summary>Escaping and cutting user text for Block Kit.</summary>
public sealed class SlackTextTests
{
    [Fact]
    public void Control_characters_are_escaped_and_nothing_else_is_touched()
    {
        Assert.Equal("&lt;!channel&gt; Tom &amp; Jerry *bold* _it_", SlackText.Mrkdwn("<!channel> Tom & Jerry *bold* _it_", 3000));
        Assert.Equal("<!channel> & >", SlackText.Plain("<!channel> & >", 3000));
    }

    [Fact]
    public void Cutting_never_splits_an_escape()
    {
        var text = new string('a', 8) + "&&&&";
        for (var max = 2; max <= 30; max++)
        {
            var cut = SlackText.Mrkdwn(text, max);
            Assert.True(cut.Length <= max, $"{cut.Length} > {max}");
            Assert.Matches(@"^([^&]|&amp;)*…?$", cut);
        }
    }

    [Fact]
    public void Cutting_never_splits_an_emoji_or_a_surrogate_pair()
    {
        var text = string.Concat(Enumerable.Repeat("🐙👩‍👩‍👧", 50));
        for (var max = 2; max <= 40; max++)
        {
            var cut = SlackText.Plain(text, max);
            Assert.True(cut.Length <= max);
            Assert.EndsWith("…", cut, StringComparison.Ordinal);
            var body = cut[..^1];
            Assert.False(body.Length > 0 && char.IsHighSurrogate(body[^1]), $"a lone high surrogate at {max}");
            Assert.Equal(0, body.Replace("🐙", "", StringComparison.Ordinal).Replace("👩‍👩‍👧", "", StringComparison.Ordinal).Length);
        }
    }

    [Fact]
    public void Joining_safe_pieces_keeps_their_escapes_whole()
    {
        var escaped = SlackText.Mrkdwn(new string('x', 5) + "<<<<", 3000);
        for (var max = 2; max <= 25; max++)
        {
            var cut = SlackText.Join(max, "*", escaped, "*");
            Assert.True(cut.Length <= max);
            Assert.Matches(@"^([^&]|&lt;)*…?$", cut);
        }
        Assert.Equal("*xxxxx&lt;&lt;&lt;&lt;*", SlackText.Join(3000, "*", escaped, "*"));
    }
}

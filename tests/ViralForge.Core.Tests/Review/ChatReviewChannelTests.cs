using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;

namespace ViralForge.Core.Tests.Review;

public sealed class ChatReviewChannelTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/review/")]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080/review/")]
    [InlineData("https://vf.example.com/bot/", "https://vf.example.com/bot/review/")]
    public void The_card_links_to_the_review_page_under_its_base_url(string pageBase, string expectedPrefix)
    {
        var id = Guid.NewGuid();
        var card = new ReviewRequest(id, 1, "t", "T", "h", new Uri("file:///blobs/video.mp4"), 10, Platforms.YouTube, null);

        var forChat = ChatReviewChannel.ForChat(card, new() { PageBaseUrl = new Uri(pageBase) });
        var unchanged = ChatReviewChannel.ForChat(card, new());

        Assert.Equal(new Uri($"{expectedPrefix}{id}"), forChat.VideoUrl);
        Assert.Equal(card, unchanged);
    }
}

using Microsoft.Extensions.Options;
using ViralForge.Adapters.TikTok;

namespace ViralForge.Adapters.Tests.TikTok;

/// <summary>TikTok's chunk rules: floor(size / chunk) chunks, the last absorbing the remainder, one chunk under 5 MB.</summary>
public sealed class TikTokChunksTests
{
    private const long MB = TikTokOptions.Megabyte;

    [Fact]
    public void Twenty_three_MB_in_ten_MB_chunks_is_two_chunks_the_last_thirteen_MB()
    {
        var plan = TikTokChunks.Plan(23 * MB, 10 * MB);

        Assert.Equal((10 * MB, 2), (plan.ChunkSize, plan.TotalChunkCount));
        Assert.Equal([(0L, 10 * MB - 1), (10 * MB, 23 * MB - 1)], plan.Chunks.Select(c => (c.First, c.Last)));
        Assert.Equal(13 * MB, plan.Chunks[^1].Length);
    }

    [Fact]
    public void The_documented_example_is_five_chunks_the_last_absorbing_123_bytes()
    {
        var plan = TikTokChunks.Plan(50_000_123, 10_000_000);

        Assert.Equal(5, plan.TotalChunkCount);
        Assert.Equal(10_000_123, plan.Chunks[^1].Length);
        Assert.Equal(50_000_123, plan.Chunks.Sum(c => c.Length));
    }

    [Theory]
    [InlineData(3 * MB)]          // under 5 MB: one chunk whatever the chunk size
    [InlineData(1)]
    [InlineData(10 * MB)]         // exactly one chunk's worth
    [InlineData(8 * MB)]          // less than a chunk
    [InlineData(19 * MB)]         // floor(19 / 10) = 1: one chunk of all 19 MB
    public void A_video_of_at_most_one_chunk_floor_goes_whole(long size)
    {
        var plan = TikTokChunks.Plan(size, 10 * MB);

        var chunk = Assert.Single(plan.Chunks);
        Assert.Equal((0L, size - 1), (chunk.First, chunk.Last));
        Assert.Equal(size <= 10 * MB ? size : 10 * MB, plan.ChunkSize);
    }

    [Fact]
    public void A_video_under_five_MB_is_one_chunk_even_with_smaller_chunks_asked()
    {
        var plan = TikTokChunks.Plan(4 * MB, 1 * MB);

        Assert.Equal((4 * MB, 1), (plan.ChunkSize, plan.TotalChunkCount));
    }

    [Fact]
    public void Resuming_starts_at_the_chunk_that_holds_the_next_byte()
    {
        var plan = TikTokChunks.Plan(23 * MB, 10 * MB);

        Assert.Equal(0, plan.ResumeFrom(0));
        Assert.Equal(0, plan.ResumeFrom(10 * MB - 1));
        Assert.Equal(1, plan.ResumeFrom(10 * MB));
        Assert.Equal(2, plan.ResumeFrom(23 * MB));
    }

    [Theory]
    [InlineData(4 * MB)]
    [InlineData(65 * MB)]
    public void A_chunk_size_outside_five_to_sixty_four_MB_stops_the_start_with_the_rule(long chunk)
    {
        var result = new TikTokOptionsValidator().Validate(null, new TikTokOptions { ChunkBytes = chunk });

        Assert.True(result.Failed);
        Assert.Contains("TikTok:ChunkBytes", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("5 to 64 MB", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Equal(ValidateOptionsResult.Success, new TikTokOptionsValidator().Validate(null, new TikTokOptions()));
    }
}

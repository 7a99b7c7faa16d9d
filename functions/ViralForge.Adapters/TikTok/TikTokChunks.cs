namespace ViralForge.Adapters.TikTok;

/// <summary>One chunk of a FILE_UPLOAD: bytes <see cref="First"/> to <see cref="Last"/> inclusive, as Content-Range says them.</summary>
public sealed record TikTokChunk(int Index, long First, long Last)
{
    public long Length => Last - First + 1;
}

/// <summary>
/// TikTok's chunk rules (media transfer guide): total_chunk_count = floor(video_size / chunk_size), every chunk
/// chunk_size bytes except the last, which absorbs the remainder (up to 128 MB); a video under 5 MB goes as one chunk
/// whose chunk_size is the video's size. 23 MB in 10 MB chunks is 2 chunks, 10 MB and 13 MB.
/// </summary>
public sealed record TikTokChunks(long VideoSize, long ChunkSize, IReadOnlyList<TikTokChunk> Chunks)
{
    public const int MaxChunkCount = 1000;

    public int TotalChunkCount => Chunks.Count;

    public static TikTokChunks Plan(long videoSize, long chunkBytes)
    {
        if (videoSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(videoSize), videoSize, "The video is empty.");
        }
        if (chunkBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkBytes), chunkBytes, "The chunk size must be positive.");
        }
        // Under 5 MB, or not more than one chunk's worth: one chunk of the whole file.
        var chunkSize = videoSize < TikTokOptions.MinChunkBytes || videoSize <= chunkBytes ? videoSize : chunkBytes;
        var count = (int)Math.Min(videoSize / chunkSize, MaxChunkCount);
        if (videoSize - (chunkSize * (count - 1)) > TikTokOptions.MaxLastChunkBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkBytes), chunkBytes,
                $"A {videoSize}-byte video in {chunkBytes}-byte chunks leaves a last chunk over TikTok's 128 MB; use larger chunks.");
        }
        var chunks = new List<TikTokChunk>(count);
        for (var i = 0; i < count; i++)
        {
            var first = i * chunkSize;
            var last = i == count - 1 ? videoSize - 1 : first + chunkSize - 1;
            chunks.Add(new TikTokChunk(i, first, last));
        }
        return new TikTokChunks(videoSize, chunkSize, chunks);
    }

    /// <summary>The chunk to send first when TikTok reports <paramref name="uploadedBytes"/> received: the one holding the next byte.</summary>
    public int ResumeFrom(long uploadedBytes) =>
        Chunks.FirstOrDefault(c => c.Last >= uploadedBytes)?.Index ?? Chunks.Count;
}

using System.Buffers.Binary;

namespace ViralForge.Adapters.TikTok;

/// <summary>
/// The length of an MP4 from its moov/mvhd box (ISO/IEC 14496-12), read without ffprobe: the publisher checks it against
/// the creator's max_video_post_duration_sec before it asks TikTok for an upload.
/// </summary>
public static class Mp4Duration
{
    /// <summary>Seconds, or null when the file is not an MP4 with a movie header.</summary>
    public static double? TryRead(string path)
    {
        using var file = File.OpenRead(path);
        return FindMvhd(file, 0, file.Length);
    }

    private static double? FindMvhd(FileStream file, long start, long end)
    {
        var header = new byte[16];
        var at = start;
        while (at + 8 <= end)
        {
            file.Position = at;
            if (file.Read(header, 0, 8) < 8)
            {
                return null;
            }
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = System.Text.Encoding.ASCII.GetString(header, 4, 4);
            var headerLength = 8;
            if (size == 1)
            {
                if (file.Read(header, 8, 8) < 8)
                {
                    return null;
                }
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
                headerLength = 16;
            }
            else if (size == 0)
            {
                size = end - at;
            }
            if (size < headerLength || at + size > end)
            {
                return null;
            }
            if (type == "moov")
            {
                return FindMvhd(file, at + headerLength, at + size);
            }
            if (type == "mvhd")
            {
                return ReadMvhd(file, at + headerLength);
            }
            at += size;
        }
        return null;
    }

    private static double? ReadMvhd(FileStream file, long body)
    {
        var bytes = new byte[32];
        file.Position = body;
        if (file.Read(bytes, 0, bytes.Length) < bytes.Length)
        {
            return null;
        }
        // version 0: creation(4) modification(4) timescale(4) duration(4); version 1: creation(8) modification(8) timescale(4) duration(8).
        var version = bytes[0];
        var (timescale, duration) = version == 1
            ? (BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(20)), (double)BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(24)))
            : (BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(12)), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16)));
        return timescale == 0 ? null : duration / timescale;
    }
}

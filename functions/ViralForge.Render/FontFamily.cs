using System.Buffers.Binary;
using System.Text;

namespace ViralForge.Render;

/// <summary>Reads a font file's family name, which is what ASS styles (and libass's font lookup) ask for.</summary>
public static class FontFamily
{
    /// <summary>Used when the font cannot be read: the family the project installs.</summary>
    public const string Fallback = "DejaVu Sans";

    /// <summary>
    /// The family from the TrueType/OpenType 'name' table (typographic family, else family); e.g. "DejaVu Sans" for
    /// DejaVuSans-Bold.ttf. A missing or unreadable file gives <see cref="Fallback"/>, so captions still render.
    /// </summary>
    public static string Read(string fontFile)
    {
        try
        {
            var bytes = File.ReadAllBytes(fontFile);
            return Parse(bytes) ?? Fallback;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException or OverflowException)
        {
            // Out-of-range and overflow mean a truncated or malformed table: not a font we can name.
            return Fallback;
        }
    }

    private static string? Parse(ReadOnlySpan<byte> font)
    {
        if (font.Length < 12)
        {
            return null;
        }

        var fontStart = 0;
        if (font[..4].SequenceEqual("ttcf"u8))
        {
            // A collection: the first font's offset table is named after the 12-byte collection header.
            fontStart = checked((int)BinaryPrimitives.ReadUInt32BigEndian(font[12..]));
        }

        var tableCount = BinaryPrimitives.ReadUInt16BigEndian(font[(fontStart + 4)..]);
        for (var i = 0; i < tableCount; i++)
        {
            var record = font.Slice(fontStart + 12 + (i * 16), 16);
            if (record[..4].SequenceEqual("name"u8))
            {
                var offset = checked((int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]));
                return ReadFamily(font, offset);
            }
        }

        return null;
    }

    private static string? ReadFamily(ReadOnlySpan<byte> font, int table)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(font[(table + 2)..]);
        var strings = table + BinaryPrimitives.ReadUInt16BigEndian(font[(table + 4)..]);
        string? best = null;
        var bestRank = int.MaxValue;
        for (var i = 0; i < count; i++)
        {
            var record = font.Slice(table + 6 + (i * 12), 12);
            var platform = BinaryPrimitives.ReadUInt16BigEndian(record);
            var language = BinaryPrimitives.ReadUInt16BigEndian(record[4..]);
            var nameId = BinaryPrimitives.ReadUInt16BigEndian(record[6..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(record[8..]);
            var offset = BinaryPrimitives.ReadUInt16BigEndian(record[10..]);
            if (nameId is not (1 or 16))
            {
                continue;
            }

            // Typographic family (16) beats legacy family (1); Windows US English beats other records.
            var rank = (nameId == 16 ? 0 : 10) + (platform == 3 && language == 0x409 ? 0 : platform is 0 or 3 ? 1 : 2);
            if (rank >= bestRank)
            {
                continue;
            }

            var raw = font.Slice(strings + offset, length);
            var name = platform is 0 or 3 ? Encoding.BigEndianUnicode.GetString(raw) : Encoding.Latin1.GetString(raw);
            if (!string.IsNullOrWhiteSpace(name))
            {
                best = name.Trim();
                bestRank = rank;
            }
        }

        return best;
    }
}

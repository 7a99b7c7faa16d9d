using System.Text;

namespace ViralForge.Adapters.Local;

/// <summary>
/// An RFC 4180 CSV file held as the raw text of every field, so that a cell nobody changes is written
/// back exactly as it was read: its quoting, the record's line ending, the BOM, the missing final newline.
/// </summary>
internal sealed class CsvDocument
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    // Strict decoding: an invalid byte must stop us, since re-encoding a replacement character would
    // silently rewrite cells we promised not to touch.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private CsvDocument(bool hasBom, List<CsvRecord> records)
    {
        HasBom = hasBom;
        Records = records;
    }

    public bool HasBom { get; }

    /// <summary>Every record in file order; the first is the header.</summary>
    public List<CsvRecord> Records { get; }

    public static CsvDocument Parse(ReadOnlySpan<byte> bytes, string sourceName)
    {
        var hasBom = bytes.StartsWith(Bom);
        var body = hasBom ? bytes[Bom.Length..] : bytes;
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException(
                $"{sourceName} is not valid UTF-8 (near byte {e.Index + (hasBom ? Bom.Length : 0)}); save it as \"CSV UTF-8\".", e);
        }
        return new CsvDocument(hasBom, Tokenize(text, sourceName));
    }

    public byte[] ToBytes()
    {
        var text = new StringBuilder();
        foreach (var record in Records)
        {
            for (var i = 0; i < record.Fields.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }
                text.Append(record.Fields[i]);
            }
            text.Append(record.LineEnding);
        }
        var body = StrictUtf8.GetBytes(text.ToString());
        return HasBom ? [.. Bom, .. body] : body;
    }

    /// <summary>The value of a raw field: outer quotes removed and doubled quotes undone.</summary>
    public static string Unquote(string raw)
    {
        if (raw.Length == 0 || raw[0] != '"')
        {
            return raw;
        }
        var value = new StringBuilder(raw.Length);
        var i = 1;
        while (i < raw.Length)
        {
            if (raw[i] == '"')
            {
                if (i + 1 < raw.Length && raw[i + 1] == '"')
                {
                    value.Append('"');
                    i += 2;
                    continue;
                }
                // Text after the closing quote (`"abc"def`) is invalid RFC 4180; keep it as spreadsheet apps do.
                value.Append(raw, i + 1, raw.Length - i - 1);
                return value.ToString();
            }
            value.Append(raw[i]);
            i++;
        }
        return value.ToString();
    }

    /// <summary>The raw field for a value, quoted only when a reader would otherwise misread it.</summary>
    public static string Quote(string value)
    {
        var needsQuotes = value.Length > 0
            && (value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]));
        return needsQuotes ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    private static List<CsvRecord> Tokenize(string text, string sourceName)
    {
        var records = new List<CsvRecord>();
        var i = 0;
        // Physical line, as a text editor numbers it, so error messages point where the person looks.
        var line = 1;
        while (i < text.Length)
        {
            var fields = new List<string>();
            string lineEnding;
            while (true)
            {
                var start = i;
                if (i < text.Length && text[i] == '"')
                {
                    var openedOnLine = line;
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                        {
                            throw new InvalidDataException(
                                $"{sourceName}: the quote opened on line {openedOnLine} is never closed.");
                        }
                        var c = text[i];
                        if (c == '"')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '"')
                            {
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        if (c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
                        {
                            line++;
                        }
                        i++;
                    }
                }
                while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    i++;
                }
                fields.Add(text[start..i]);

                if (i >= text.Length)
                {
                    lineEnding = "";
                    break;
                }
                if (text[i] == ',')
                {
                    i++;
                    continue;
                }
                // A lone CR ends a record too (old Mac files); every record keeps its own ending.
                lineEnding = text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? "\r\n" : text[i].ToString();
                i += lineEnding.Length;
                line++;
                break;
            }
            records.Add(new CsvRecord(fields, lineEnding));
        }
        return records;
    }
}

/// <summary>One CSV record: the raw text of each field and the line ending that followed it ("" at end of file).</summary>
internal sealed class CsvRecord(List<string> fields, string lineEnding)
{
    public List<string> Fields { get; } = fields;

    public string LineEnding { get; } = lineEnding;

    public string Value(int column) => column < Fields.Count ? CsvDocument.Unquote(Fields[column]) : "";

    /// <summary>Sets a field's raw text, adding empty fields first when the record is shorter.</summary>
    public void SetRaw(int column, string raw)
    {
        PadTo(column + 1);
        Fields[column] = raw;
    }

    public void PadTo(int count)
    {
        while (Fields.Count < count)
        {
            Fields.Add("");
        }
    }
}

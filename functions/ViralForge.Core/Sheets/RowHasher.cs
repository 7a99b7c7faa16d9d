using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ViralForge.Core.Sheets;

/// <summary>Fingerprints a row's inputs, so a positional write can tell whether the row under it is still the same request.</summary>
public static class RowHasher
{
    /// <summary>
    /// Lowercase hex SHA-256 over the input cells only, in <see cref="SheetContract.InputColumns"/> order.
    /// Output cells are left out so that the product's own writes never change the hash; values are
    /// trimmed because stray spaces do not change what the person asked for. Hashes are stored on jobs,
    /// so this encoding must not change.
    /// </summary>
    public static string Hash(SheetRow row)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendInputs(sha, row);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// The idempotency key of one language's job of a row (the jobs table's row_hash): the hash of the row as if it asked
    /// for that language alone (Language set to <paramref name="language"/>, Languages empty), so adding a language to
    /// the Languages cell keeps the jobs of the languages already there. The first language's job
    /// (<paramref name="mainLanguage"/> null) thus has the key a plain row in that language has; each further language's
    /// key also says which language's job it shares trends and analysis with, so it can never be a plain row's key.
    /// </summary>
    public static string LanguageHash(SheetRow row, string language, string? mainLanguage)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentException.ThrowIfNullOrWhiteSpace(language);
        var cells = new Dictionary<string, string>(row.Cells, StringComparer.Ordinal)
        {
            [SheetContract.Language] = language,
            [SheetContract.Languages] = "",
        };
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendInputs(sha, row with { Cells = cells });
        if (mainLanguage is not null)
        {
            // Not a column name: no row's own hash has this pair after its inputs.
            Append(sha, "language variant of");
            Append(sha, mainLanguage);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static void AppendInputs(IncrementalHash sha, SheetRow row)
    {
        foreach (var column in SheetContract.InputColumns)
        {
            var value = row.Get(column).Trim();
            if (value.Length == 0 && SheetContract.ChoiceColumns.Contains(column))
            {
                continue; // a choice column left empty hashes as it did before the column existed
            }
            Append(sha, column);
            Append(sha, value);
        }
    }

    // A 4-byte big-endian length before each UTF-8 string keeps the encoding unambiguous:
    // ("ab", "") and ("a", "b") must not hash alike.
    private static void Append(IncrementalHash sha, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        sha.AppendData(length);
        sha.AppendData(bytes);
    }
}

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
        return Convert.ToHexStringLower(sha.GetHashAndReset());
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

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ViralForge.Core.Sheets;

namespace ViralForge.Core.Tests.Sheets;

public class RowHasherTests
{
    private static SheetRow Row(params (string Column, string Value)[] cells) =>
        new(1, cells.ToDictionary(c => c.Column, c => c.Value));

    [Fact]
    public void Hash_is_lowercase_hex_sha256_of_length_prefixed_input_cells_in_contract_order()
    {
        var row = Row((SheetContract.Notes, "n"), (SheetContract.Topic, " Cats "), (SheetContract.Platform, "tiktok"));

        // Written out independently: hashes are stored on jobs, so the encoding must never drift.
        var expected = new List<byte>();
        foreach (var column in new[] { "Topic", "Platform", "Duration", "Style", "Voice", "Language", "Publish At", "Hashtags", "Notes" })
        {
            var value = column switch { "Topic" => "Cats", "Platform" => "tiktok", "Notes" => "n", _ => "" };
            foreach (var text in new[] { column, value })
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                var length = new byte[4];
                BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
                expected.AddRange(length);
                expected.AddRange(bytes);
            }
        }

        var hash = RowHasher.Hash(row);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected.ToArray())), hash);
        Assert.Matches("^[0-9a-f]{64}$", hash);
    }

    [Fact]
    public void Output_cells_never_change_the_hash()
    {
        var inputs = Row((SheetContract.Topic, "Cats"), (SheetContract.Duration, "45"));
        var withOutputs = new SheetRow(7, new Dictionary<string, string>(inputs.Cells)
        {
            [SheetContract.JobId] = Guid.NewGuid().ToString(),
            [SheetContract.Status] = "render",
            [SheetContract.Error] = "x",
            [SheetContract.Updated] = "2026-01-01T00:00:00Z",
        });

        Assert.Equal(RowHasher.Hash(inputs), RowHasher.Hash(withOutputs));
    }

    [Fact]
    public void Surrounding_spaces_do_not_change_the_hash_but_any_input_change_does()
    {
        var original = RowHasher.Hash(Row((SheetContract.Topic, "Cats"), (SheetContract.Notes, "loud")));

        Assert.Equal(original, RowHasher.Hash(Row((SheetContract.Topic, "  Cats\t"), (SheetContract.Notes, "loud "))));
        Assert.NotEqual(original, RowHasher.Hash(Row((SheetContract.Topic, "cats"), (SheetContract.Notes, "loud"))));
        Assert.NotEqual(original, RowHasher.Hash(Row((SheetContract.Topic, "Cats"), (SheetContract.Notes, "quiet"))));
        Assert.NotEqual(original, RowHasher.Hash(Row((SheetContract.Topic, "Cats"), (SheetContract.Notes, "loud"), (SheetContract.Style, "bold"))));
    }

    [Fact]
    public void Moving_text_between_adjacent_cells_changes_the_hash()
    {
        var a = RowHasher.Hash(Row((SheetContract.Topic, "ab"), (SheetContract.Platform, "")));
        var b = RowHasher.Hash(Row((SheetContract.Topic, "a"), (SheetContract.Platform, "b")));

        Assert.NotEqual(a, b);
    }
}

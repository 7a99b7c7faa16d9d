using System.Text;

namespace ViralForge.Render;

/// <summary>Writes files so readers (and a retried attempt) see either the old file or the whole new one, never half.</summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes UTF-8 text (no BOM) to a temporary file in the same folder, then renames it over the target.</summary>
    public static async Task WriteAllTextAsync(string path, string contents, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        Directory.CreateDirectory(folder);
        var temporary = TemporaryPathFor(fullPath, ".tmp");
        try
        {
            await File.WriteAllTextAsync(temporary, contents, Utf8NoBom, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// A unique hidden name next to <paramref name="path"/>: the same folder means the same file system, so the final
    /// rename is atomic.
    /// </summary>
    public static string TemporaryPathFor(string path, string suffix)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        return Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}{suffix}");
    }

    /// <summary>Deletes a file if it is there; cleanup must not hide the error that led to it.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

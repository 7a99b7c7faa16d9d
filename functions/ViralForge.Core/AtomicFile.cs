using System.Text;

namespace ViralForge.Core;

/// <summary>
/// Writes files so readers (and a retried attempt) see either the old file or the whole new one, never
/// half: a temporary file in the same folder (same file system, so the rename is atomic), flushed to
/// disk, then renamed over the target. Every file the product writes goes through here.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Lets <paramref name="write"/> fill a temporary file, then renames it over <paramref name="path"/>.
    /// A file being replaced keeps its permissions. Nothing is replaced if writing fails or is cancelled.
    /// </summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        Directory.CreateDirectory(folder);
        var temporary = TemporaryPathFor(fullPath, ".tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                // On disk before the rename, so a crash cannot leave a complete name over an empty file.
                stream.Flush(flushToDisk: true);
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (!OperatingSystem.IsWindows() && File.Exists(fullPath))
            {
                // The temporary file was created with the process defaults; keep the replaced file's mode.
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(fullPath));
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes UTF-8 text (no BOM).</summary>
    public static Task WriteAllTextAsync(string path, string contents, CancellationToken cancellationToken) =>
        WriteAllBytesAsync(path, Utf8NoBom.GetBytes(contents), cancellationToken);

    public static Task WriteAllBytesAsync(string path, byte[] bytes, CancellationToken cancellationToken) =>
        WriteAsync(path, (stream, ct) => stream.WriteAsync(bytes, ct).AsTask(), cancellationToken);

    /// <summary>Copies a file; throws <see cref="FileNotFoundException"/> before touching the target when the source is missing.</summary>
    public static async Task CopyAsync(string sourcePath, string path, CancellationToken cancellationToken)
    {
        await using var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await WriteAsync(path, (stream, ct) => source.CopyToAsync(stream, ct), cancellationToken).ConfigureAwait(false);
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

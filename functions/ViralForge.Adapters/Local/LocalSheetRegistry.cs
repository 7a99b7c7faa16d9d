using System.Collections.Concurrent;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Local;

/// <summary>Opens CSV sheets by path, one <see cref="CsvSheet"/> per file so that its writes are serialized.</summary>
public sealed class LocalSheetRegistry : ISheetRegistry
{
    // Windows and macOS file systems ignore case by default; two instances for one file would not share a lock.
    private readonly ConcurrentDictionary<string, CsvSheet> _sheets = new(
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    /// <param name="sheetId">The CSV file's path; relative paths are resolved against the current folder.</param>
    public ISheet Open(string sheetId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sheetId);
        return _sheets.GetOrAdd(Path.GetFullPath(sheetId), path => new CsvSheet(path));
    }
}

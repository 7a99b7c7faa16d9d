using System.Globalization;

namespace ViralForge.Core.Stages;

/// <summary>
/// Scratch folders named after the process that owns them, so that a later process can tell a killed one's leftovers
/// (a SIGKILL runs no finally block) from the folders of a process still working in the same work folder.
/// </summary>
/// <remarks>
/// A name starts with <c>p{pid}.{start}-</c>, where start is the process's start time in clock ticks since boot (field 22
/// of /proc/PID/stat): a pid is reused, a pid with the same start time is the same process. Where /proc does not exist
/// (not Linux) the owner is unknown and only age decides.
/// </remarks>
public static class ScratchFolders
{
    /// <summary>How old a folder with no owner in its name (or an unknown owner) must be before a sweep deletes it.</summary>
    public static readonly TimeSpan UnownedMaxAge = TimeSpan.FromDays(1);

    /// <summary>This process's prefix, e.g. <c>p4242.123456</c>.</summary>
    public static string OwnerTag { get; } = TagFor(Environment.ProcessId) ?? $"p{Environment.ProcessId}.0";

    /// <summary>Makes a fresh folder under the scratch root for one attempt; the caller deletes it when the attempt ends.</summary>
    public static string Create(string scratchRoot, string label)
    {
        var folder = Path.Combine(scratchRoot, $"{OwnerTag}-{label}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// Deletes the folders under the scratch root whose owning process is gone, and those without a known owner that are
    /// older than <see cref="UnownedMaxAge"/>. Folders of live processes (this one included) are left alone. Returns the
    /// folders deleted.
    /// </summary>
    public static IReadOnlyList<string> SweepStale(string scratchRoot, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (!Directory.Exists(scratchRoot))
        {
            return [];
        }
        var deleted = new List<string>();
        var canSeeProcesses = Directory.Exists("/proc/self");
        foreach (var folder in Directory.EnumerateDirectories(scratchRoot))
        {
            var stale = OwnerOf(Path.GetFileName(folder)) is { } owner && canSeeProcesses
                ? !string.Equals(TagFor(owner.Pid), owner.Tag, StringComparison.Ordinal)
                : time.GetUtcNow() - Directory.GetLastWriteTimeUtc(folder) > UnownedMaxAge;
            if (!stale)
            {
                continue;
            }
            try
            {
                Directory.Delete(folder, recursive: true);
                deleted.Add(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another sweeping process got there first, or it is not ours to delete: either way, not this run's problem.
            }
        }
        return deleted;
    }

    private static (int Pid, string Tag)? OwnerOf(string name)
    {
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (!name.StartsWith('p') || dash < 0 || dot < 0 || dot > dash
            || !int.TryParse(name.AsSpan(1, dot - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(name.AsSpan(dot + 1, dash - dot - 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return null;
        }
        return (pid, name[..dash]);
    }

    /// <summary>The tag of the process with this pid as it runs now; null when no such process runs (or there is no /proc).</summary>
    private static string? TagFor(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are counted after the last ')'.
        // starttime is field 22 overall, the 20th after comm.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 ? $"p{pid.ToString(CultureInfo.InvariantCulture)}.{fields[19]}" : null;
    }
}

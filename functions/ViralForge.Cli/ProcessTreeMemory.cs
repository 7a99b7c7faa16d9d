using System.Globalization;

namespace ViralForge.Cli;

/// <summary>
/// Samples memory while a load run goes on: the summed RSS of this process's descendants (the ffmpeg runs the stages
/// start; their peak is what a render costs, and several at once is what overloads a small machine) and the machine's
/// used memory. Reads /proc every interval; where there is no /proc the figures stay 0 and are printed as n/a.
/// </summary>
public sealed class ProcessTreeMemory : IAsyncDisposable
{
    // /proc/PID/status pads with a tab, /proc/meminfo with spaces.
    private static readonly char[] Blanks = [' ', '\t'];

    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly int root = Environment.ProcessId;
    private long childrenPeak;
    private long machinePeak;
    private long machineTotal;

    private ProcessTreeMemory(TimeSpan interval) => loop = RunAsync(interval);

    /// <summary>Starts sampling now and every <paramref name="interval"/> until disposed.</summary>
    public static ProcessTreeMemory Start(TimeSpan interval) => new(interval);

    /// <summary>The peaks so far, with this process's own peak working set.</summary>
    public MemoryPeaks Peaks
    {
        get
        {
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            return new MemoryPeaks(self.PeakWorkingSet64, Interlocked.Read(ref childrenPeak), Interlocked.Read(ref machinePeak), Interlocked.Read(ref machineTotal));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval)
    {
        if (!Directory.Exists("/proc"))
        {
            return;
        }
        using var timer = new PeriodicTimer(interval);
        do
        {
            Sample();
        }
        while (await Tick(timer));
    }

    private async Task<bool> Tick(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Sample()
    {
        var parents = new Dictionary<int, int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(Path.Combine(folder, "stat")) is { } stat && ParentOf(stat) is { } parent)
            {
                parents[pid] = parent;
            }
        }
        long children = 0;
        foreach (var pid in Descendants(root, parents))
        {
            children += 1024 * (Read($"/proc/{pid}/status") is { } status ? Kilobytes(status, "VmRSS") ?? 0 : 0);
        }
        Max(ref childrenPeak, children);
        if (Read("/proc/meminfo") is { } meminfo && Kilobytes(meminfo, "MemTotal") is { } total && Kilobytes(meminfo, "MemAvailable") is { } available)
        {
            Interlocked.Exchange(ref machineTotal, total * 1024);
            Max(ref machinePeak, (total - available) * 1024);
        }
    }

    private static void Max(ref long peak, long value)
    {
        var seen = Interlocked.Read(ref peak);
        while (value > seen && Interlocked.CompareExchange(ref peak, value, seen) != seen)
        {
            seen = Interlocked.Read(ref peak);
        }
    }

    /// <summary>A /proc file, or null when its process ended between listing and reading (or it is not ours to read).</summary>
    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The parent pid in a /proc/PID/stat line. The command name is in parentheses and may hold spaces or ')', so fields are counted after the last ')'.</summary>
    public static int? ParentOf(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        var end = stat.LastIndexOf(')');
        if (end < 0)
        {
            return null;
        }
        var fields = stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After the name: state, then ppid.
        return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) ? parent : null;
    }

    /// <summary>A "Name:   1234 kB" field of /proc/PID/status or /proc/meminfo, in kB.</summary>
    public static long? Kilobytes(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal)
                && line[(field.Length + 1)..].Split(Blanks, StringSplitOptions.RemoveEmptyEntries) is [var number, ..]
                && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }
        return null;
    }

    /// <summary>Every process under <paramref name="root"/> (children, their children, ...), not the root itself.</summary>
    public static IReadOnlySet<int> Descendants(int root, IReadOnlyDictionary<int, int> parents)
    {
        ArgumentNullException.ThrowIfNull(parents);
        var children = parents.ToLookup(p => p.Value, p => p.Key);
        var found = new HashSet<int>();
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out var pid))
        {
            foreach (var child in children[pid])
            {
                if (child != root && found.Add(child))
                {
                    pending.Push(child);
                }
            }
        }
        return found;
    }
}

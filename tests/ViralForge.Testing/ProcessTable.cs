using System.Globalization;

namespace ViralForge.Testing;

/// <summary>Live processes from /proc, found by a fragment of their command line (a scratch folder, a marker argument).</summary>
public static class ProcessTable
{
    /// <summary>Pids of running processes (zombies excluded: they hold nothing) whose command line contains the fragment.</summary>
    public static IReadOnlyList<int> Find(string fragment) => Find(commandLine => commandLine.Contains(fragment, StringComparison.Ordinal));

    /// <summary>Pids of running processes (zombies excluded) whose command line, arguments joined by spaces, matches.</summary>
    public static IReadOnlyList<int> Find(Func<string, bool> matches)
    {
        var found = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }
            try
            {
                // Arguments are NUL-separated; a fragment never spans two of them in these tests.
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
                if (matches(commandLine) && !IsZombie(folder))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // It exited while being read.
            }
        }
        return found;
    }

    /// <summary>Waits until a process whose command line contains the fragment runs; its pid.</summary>
    public static Task<int> WaitForAsync(string fragment, TimeSpan patience, Func<string>? whyNot = null) =>
        WaitForAsync(commandLine => commandLine.Contains(fragment, StringComparison.Ordinal), $"'{fragment}' in its command line", patience, whyNot);

    /// <summary>Waits until a process whose command line matches runs; its pid. <paramref name="what"/> names it in the timeout.</summary>
    public static async Task<int> WaitForAsync(Func<string, bool> matches, string what, TimeSpan patience, Func<string>? whyNot = null)
    {
        using var cts = new CancellationTokenSource(patience);
        while (!cts.IsCancellationRequested)
        {
            if (Find(matches) is [var pid, ..])
            {
                return pid;
            }
            await Task.Delay(50, CancellationToken.None);
        }
        throw new TimeoutException($"no process with {what} within {patience}. {whyNot?.Invoke()}");
    }

    /// <summary>True once no live process has the fragment in its command line; false if some still do after the patience.</summary>
    public static async Task<bool> GoneWithinAsync(string fragment, TimeSpan patience)
    {
        using var cts = new CancellationTokenSource(patience);
        while (Find(fragment).Count > 0)
        {
            if (cts.IsCancellationRequested)
            {
                return false;
            }
            await Task.Delay(50, CancellationToken.None);
        }
        return true;
    }

    private static bool IsZombie(string folder)
    {
        // /proc/PID/stat: "pid (comm) S ..."; comm may hold spaces and parentheses, so the state follows the last ')'.
        var stat = File.ReadAllText(Path.Combine(folder, "stat"));
        var end = stat.LastIndexOf(')');
        return end > 0 && end + 2 < stat.Length && stat[end + 2] is 'Z' or 'X';
    }
}

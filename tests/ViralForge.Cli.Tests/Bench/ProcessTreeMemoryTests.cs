namespace ViralForge.Cli.Tests.Bench;

/// <summary>Reading /proc for the load bench's memory peaks: parent pids, kB fields, a process's descendants.</summary>
public sealed class ProcessTreeMemoryTests
{
    [Theory]
    [InlineData("4242 (ffmpeg) S 4100 4242 4100 0 -1 4194304", 4100)]
    // A command name may hold spaces and parentheses: the fields count from the last ')'.
    [InlineData("77 (my (odd) name) R 1 77 77 0 -1", 1)]
    public void The_parent_pid_is_the_second_field_after_the_command_name(string stat, int parent) =>
        Assert.Equal(parent, ProcessTreeMemory.ParentOf(stat));

    [Fact]
    public void Kilobyte_fields_are_read_by_name()
    {
        const string status = "Name:\tffmpeg\nVmHWM:\t  500000 kB\nVmRSS:\t  431232 kB\nThreads:\t3\n";
        const string meminfo = "MemTotal:        8000000 kB\nMemFree:          100000 kB\nMemAvailable:    3000000 kB\n";

        Assert.Equal(431232, ProcessTreeMemory.Kilobytes(status, "VmRSS"));
        Assert.Equal(8000000, ProcessTreeMemory.Kilobytes(meminfo, "MemTotal"));
        Assert.Equal(3000000, ProcessTreeMemory.Kilobytes(meminfo, "MemAvailable"));
        Assert.Null(ProcessTreeMemory.Kilobytes(meminfo, "Mem"));
    }

    [Fact]
    public void Descendants_are_children_and_their_children_but_not_the_root_or_strangers()
    {
        var parents = new Dictionary<int, int> { [10] = 1, [20] = 10, [21] = 10, [30] = 20, [40] = 1, [41] = 40 };

        var found = ProcessTreeMemory.Descendants(10, parents);

        Assert.Equal([20, 21, 30], found.Order());
    }

    [Fact]
    public async Task A_child_process_counts_in_the_children_peak()
    {
        await using var memory = ProcessTreeMemory.Start(TimeSpan.FromMilliseconds(50));
        using (var child = System.Diagnostics.Process.Start("sleep", "1")!)
        {
            await child.WaitForExitAsync();
        }

        var peaks = memory.Peaks;
        Assert.True(peaks.Children > 0, "a sleeping child's RSS was never seen");
        Assert.True(peaks.Process > 0);
        Assert.True(peaks.MachineUsed > 0 && peaks.MachineUsed < peaks.MachineTotal, $"{peaks.MachineUsed} of {peaks.MachineTotal}");
    }
}

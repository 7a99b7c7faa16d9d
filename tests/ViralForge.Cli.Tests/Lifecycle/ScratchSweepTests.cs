using System.Diagnostics;
using System.Globalization;
using ViralForge.Core.Stages;
using ViralForge.Testing;

namespace ViralForge.Cli.Tests.Lifecycle;

/// <summary>What vf run and vf serve sweep at start: scratch folders of processes that are gone, and nothing of a live one.</summary>
public sealed class ScratchSweepTests
{
    [Fact]
    public async Task Only_folders_whose_owner_is_gone_or_unowned_and_a_day_old_are_swept()
    {
        using var root = new TempFolder();
        var mine = ScratchFolders.Create(root.Path, "job-render");
        // A pid that ran and exited: its folder is a killed process's leftover.
        using var exited = Process.Start("true")!;
        await exited.WaitForExitAsync();
        var dead = Directory.CreateDirectory(Path.Combine(root.Path, $"p{exited.Id.ToString(CultureInfo.InvariantCulture)}.1-job-render-x")).FullName;
        // This process's pid with another start time: the pid was reused, the owner is gone.
        var reused = Directory.CreateDirectory(Path.Combine(root.Path, $"p{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.1-job-voice-x")).FullName;
        // No owner in the name (an older vf, the render job): only age decides.
        var unownedFresh = Directory.CreateDirectory(Path.Combine(root.Path, "job-render-fresh")).FullName;
        var unownedOld = Directory.CreateDirectory(Path.Combine(root.Path, "job-render-old")).FullName;
        Directory.SetLastWriteTimeUtc(unownedOld, DateTime.UnixEpoch);
        await File.WriteAllTextAsync(Path.Combine(dead, "video.partial.mp4"), "half a video");

        var swept = ScratchFolders.SweepStale(root.Path, TimeProvider.System);

        Assert.Equal(new[] { dead, reused, unownedOld }.Order(StringComparer.Ordinal), swept.Order(StringComparer.Ordinal));
        Assert.True(Directory.Exists(mine));
        Assert.True(Directory.Exists(unownedFresh));
        Assert.False(Directory.Exists(dead));
        Assert.StartsWith($"p{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.", Path.GetFileName(mine), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_scratch_root_sweeps_nothing()
    {
        using var root = new TempFolder();

        Assert.Empty(ScratchFolders.SweepStale(Path.Combine(root.Path, "never-made"), TimeProvider.System));
    }
}

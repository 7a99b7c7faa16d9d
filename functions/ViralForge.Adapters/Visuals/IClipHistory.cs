namespace ViralForge.Adapters.Visuals;

/// <summary>The stock clips a sheet's recent videos showed, so a channel does not show the same clip again and again.</summary>
public interface IClipHistory
{
    /// <summary>provider:id of every clip credited in the visuals of the sheet's last <paramref name="videos"/> videos.</summary>
    Task<IReadOnlySet<string>> RecentClipKeysAsync(string sheetId, int videos, CancellationToken cancellationToken);
}

/// <summary>A clip history held in memory (tests, and hosts without a database): videos added in order, newest last.</summary>
public sealed class InMemoryClipHistory : IClipHistory
{
    private readonly Lock gate = new();
    private readonly List<(string SheetId, IReadOnlyList<string> Keys)> videos = [];

    /// <summary>Records one video of the sheet and the clip keys (provider:id) it showed.</summary>
    public void Add(string sheetId, params string[] clipKeys)
    {
        lock (gate)
        {
            videos.Add((sheetId, clipKeys));
        }
    }

    public Task<IReadOnlySet<string>> RecentClipKeysAsync(string sheetId, int videos, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlySet<string> keys = this.videos.Where(v => v.SheetId == sheetId).TakeLast(videos).SelectMany(v => v.Keys).ToHashSet(StringComparer.Ordinal);
            return Task.FromResult(keys);
        }
    }
}

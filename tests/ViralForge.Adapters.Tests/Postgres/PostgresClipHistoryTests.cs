using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Postgres;

/// <summary>The clip history read from the visuals outputs of a sheet's newest jobs in PostgreSQL.</summary>
public sealed class PostgresClipHistoryTests
{
    [Fact]
    public async Task The_credits_of_the_latest_visuals_of_the_sheets_newest_jobs_are_the_history()
    {
        await using var db = await TestDatabase.CreateAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var store = new PostgresJobStore(db.DataSource, time);
        await VideoAsync(store, time, "sheet-a", "oldest", [Stock("pexels", "1")]);
        // Regenerated: only the newest generation's clips were shown.
        var regenerated = await VideoAsync(store, time, "sheet-a", "regenerated", [Stock("pexels", "2")]);
        await store.BumpGenerationAsync(regenerated, 1, CancellationToken.None);
        await CompleteVisualsAsync(store, regenerated, 2, [Stock("pixabay", "3")]);
        await VideoAsync(store, time, "sheet-a", "newest", [Stock("pexels", "4"), new StoredClip(1, "jobs/x/beat-02.mp4", 3, "background")]);
        await VideoAsync(store, time, "sheet-b", "other sheet", [Stock("pexels", "99")]);
        var history = new PostgresClipHistory(db.DataSource);

        var lastTwo = await history.RecentClipKeysAsync("sheet-a", 2, CancellationToken.None);
        var all = await history.RecentClipKeysAsync("sheet-a", 20, CancellationToken.None);
        var none = await history.RecentClipKeysAsync("sheet-c", 20, CancellationToken.None);

        Assert.Equal(["pexels:4", "pixabay:3"], lastTwo.Order(StringComparer.Ordinal));
        Assert.Equal(["pexels:1", "pexels:4", "pixabay:3"], all.Order(StringComparer.Ordinal));
        Assert.Empty(none);
    }

    private static StoredClip Stock(string provider, string id) =>
        new(0, $"jobs/x/{provider}-{id}.mp4", 3, "stock", new ClipCredit(provider, id, "A", null, $"https://example.com/{id}", "licence"));

    private static async Task<Guid> VideoAsync(PostgresJobStore store, FakeTimeProvider time, string sheet, string topic, StoredClip[] clips)
    {
        time.Advance(TimeSpan.FromMinutes(1));
        var request = new VideoRequest(topic, Platforms.YouTube, 30, "clean", "default", "en", null, [], "");
        var id = (await store.SubmitAsync(sheet, Guid.NewGuid().ToString("N"), request, CancellationToken.None)).Job.Id;
        await CompleteVisualsAsync(store, id, 1, clips);
        return id;
    }

    private static async Task CompleteVisualsAsync(PostgresJobStore store, Guid id, int generation, StoredClip[] clips)
    {
        await store.ClaimStageAsync(id, StageName.Visuals, generation, TimeSpan.FromMinutes(5), CancellationToken.None);
        await store.CompleteStageAsync(
            new StageCompletion(id, StageName.Visuals, generation, StageJson.ToElement(new VisualsOutput(clips)), [], JobStatus.ForStage(StageName.Voice), "visuals"),
            CancellationToken.None);
    }
}

using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Jobs;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Postgres;

public sealed class PostgresJobStoreGenerationTests
{
    [Fact]
    public async Task Racing_and_repeated_bumps_from_one_generation_start_exactly_one_more()
    {
        await using var db = await TestDatabase.CreateAsync();
        var store = new PostgresJobStore(db.DataSource, new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero)));
        var request = new VideoRequest("sourdough", Platforms.YouTube, 30, "clean", "default", "en", null, [], "");
        var id = (await store.SubmitAsync("sheet:test", "hash", request, CancellationToken.None)).Job.Id;

        using var gate = new SemaphoreSlim(0);
        var bumps = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            await gate.WaitAsync();
            return await store.BumpGenerationAsync(id, 1, CancellationToken.None);
        })).ToList();
        gate.Release(bumps.Count);
        var after = await Task.WhenAll(bumps);
        var repeated = await store.BumpGenerationAsync(id, 1, CancellationToken.None);
        var next = await store.BumpGenerationAsync(id, 2, CancellationToken.None);

        Assert.All(after, generation => Assert.Equal(2, generation));
        Assert.Equal(2, repeated);
        Assert.Equal(3, next);
        Assert.Equal(3, (await store.GetAsync(id, CancellationToken.None))!.Generation);
    }
}

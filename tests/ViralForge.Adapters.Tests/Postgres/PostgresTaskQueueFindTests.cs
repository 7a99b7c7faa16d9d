using ViralForge.Adapters.Postgres;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Postgres;

/// <summary>FindAsync on the local queue: live while pending or leased, and a finished task keeps what it ended with.</summary>
public sealed class PostgresTaskQueueFindTests
{
    [Fact]
    public async Task Pending_and_leased_tasks_are_live_a_dead_one_tells_its_attempts_and_error_and_an_unknown_name_is_none()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = new PostgresTaskQueue(db.DataSource, TimeProvider.System);
        await queue.EnqueueAsync(new QueueTask("vf-render", "later", "/stages/render", [1], TimeProvider.System.GetUtcNow().AddHours(1)), CancellationToken.None);
        await queue.EnqueueAsync(new QueueTask("vf-render", "leased", "/stages/render", [1]), CancellationToken.None);
        await queue.EnqueueAsync(new QueueTask("vf-render", "died", "/stages/render", [1]), CancellationToken.None);
        await using (var update = db.DataSource.CreateCommand("""
            UPDATE tasks SET state = 'leased', dispatch_count = 2 WHERE name = 'leased';
            UPDATE tasks SET state = 'dead', dispatch_count = 5, last_error = 'no answer within the dispatch deadline (00:10:00)' WHERE name = 'died';
            """))
        {
            await update.ExecuteNonQueryAsync();
        }

        Assert.Equal(new TaskLookup(true, 0, null), await queue.FindAsync("vf-render", "later", CancellationToken.None));
        Assert.Equal(new TaskLookup(true, 2, null), await queue.FindAsync("vf-render", "leased", CancellationToken.None));
        Assert.Equal(new TaskLookup(false, 5, "no answer within the dispatch deadline (00:10:00)"), await queue.FindAsync("vf-render", "died", CancellationToken.None));
        Assert.Null(await queue.FindAsync("vf-render", "never", CancellationToken.None));
        Assert.Null(await queue.FindAsync("vf-script", "later", CancellationToken.None));
    }
}

using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Costs;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Postgres;

public sealed class PostgresCostLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly PricesOf = new(2026, 12, 4);

    [Fact]
    public async Task Recording_the_same_work_again_keeps_the_first_units_and_cost_and_counts_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (ledger, jobId, time) = await CreateAsync(db);
        var work = new PaidWork(jobId, StageName.Script, 1, "script");
        var first = Call(work, "openai", 1834m, "tokens", 0.0021m) with { Result = Json("""{"title":"first"}""") };

        await ledger.RecordAsync(first, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        // A redelivery that paid again (or recomputed its usage differently) must not change what the row says was spent.
        await ledger.RecordAsync(first with { Units = 9999m, Usd = 9m, Result = Json("""{"title":"second"}""") }, CancellationToken.None);

        var stored = Assert.Single(await ledger.ListAsync(jobId, CancellationToken.None));
        Assert.Equal((1834m, 0.0021m, "first", Start), (stored.Units, stored.Usd, stored.Result!.Value.GetProperty("title").GetString(), stored.At!.Value));
        Assert.Equal(PricesOf, stored.PricesOf);
        Assert.Equal(0.0021m, await ledger.TotalUsdAsync(jobId, CancellationToken.None));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM costs"));
    }

    [Fact]
    public async Task A_call_stored_before_it_answered_gets_its_vendor_id_and_result_from_a_later_record()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (ledger, jobId, _) = await CreateAsync(db);
        var work = new PaidWork(jobId, StageName.Voice, 1, "tts-part-1");

        await ledger.RecordAsync(Call(work, "elevenlabs", 512m, "characters", 0.0512m), CancellationToken.None);
        var before = await ledger.FindAsync(work, CancellationToken.None);
        await ledger.RecordAsync(Call(work, "elevenlabs", 512m, "characters", 0.0512m) with { VendorId = "req-42" }, CancellationToken.None);
        await ledger.RecordAsync(Call(work, "elevenlabs", 0m, "characters", 0m) with { VendorId = "req-other", Result = Json("""{"blob":"voice/1.wav"}""") }, CancellationToken.None);
        var after = await ledger.FindAsync(work, CancellationToken.None);

        Assert.NotNull(before);
        Assert.Null(before.Result);
        Assert.Null(before.VendorId);
        Assert.NotNull(after);
        Assert.Equal("req-42", after.VendorId);
        Assert.Equal("voice/1.wav", after.Result!.Value.GetProperty("blob").GetString());
        Assert.Equal((512m, 0.0512m), (after.Units, after.Usd));
        Assert.Null(await ledger.FindAsync(work.For("tts-part-2"), CancellationToken.None));
    }

    [Fact]
    public async Task A_regenerated_stage_adds_its_calls_to_the_total_and_other_jobs_stay_apart()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (ledger, jobId, _) = await CreateAsync(db);
        var (_, otherJob, _) = await CreateAsync(db, "other topic", ledger);

        await ledger.RecordAsync(Call(new PaidWork(jobId, StageName.Script, 1, "script"), "openai", 1800m, "tokens", 0.0020m), CancellationToken.None);
        await ledger.RecordAsync(Call(new PaidWork(jobId, StageName.Voice, 1, "tts"), "openai", 480m, "characters", 0.0072m), CancellationToken.None);
        await ledger.RecordAsync(Call(new PaidWork(jobId, StageName.Script, 2, "script"), "openai", 1900m, "tokens", 0.0023m), CancellationToken.None);
        await ledger.RecordAsync(Call(new PaidWork(otherJob, StageName.Script, 1, "script"), "openai", 1500m, "tokens", 0.5m), CancellationToken.None);

        var calls = await ledger.ListAsync(jobId, CancellationToken.None);

        Assert.Equal([1, 1, 2], calls.Select(c => c.Work.Generation).Order());
        Assert.Equal(0.0115m, await ledger.TotalUsdAsync(jobId, CancellationToken.None));
        Assert.Equal(0.5m, await ledger.TotalUsdAsync(otherJob, CancellationToken.None));
    }

    [Fact]
    public async Task Twenty_concurrent_records_of_the_same_work_store_one_row()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (ledger, jobId, _) = await CreateAsync(db);
        var work = new PaidWork(jobId, StageName.Voice, 1, "whisper");

        using var gate = new SemaphoreSlim(0);
        var racers = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await gate.WaitAsync();
            await ledger.RecordAsync(Call(work, "openai", 30m, "seconds", 0.003m) with { VendorId = $"r{i}" }, CancellationToken.None);
        })).ToList();
        gate.Release(20);
        await Task.WhenAll(racers);

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM costs"));
        Assert.Equal(0.003m, await ledger.TotalUsdAsync(jobId, CancellationToken.None));
        Assert.Matches("^r[0-9]+$", (await ledger.FindAsync(work, CancellationToken.None))!.VendorId);
    }

    private static async Task<(PostgresCostLedger Ledger, Guid JobId, FakeTimeProvider Time)> CreateAsync(TestDatabase db, string topic = "sourdough", PostgresCostLedger? ledger = null)
    {
        var time = new FakeTimeProvider(Start);
        var store = new PostgresJobStore(db.DataSource, time);
        var request = new VideoRequest(topic, Platforms.YouTube, 30, "clean", "default", "en", null, [], "");
        var job = await store.SubmitAsync("sheet:test", Guid.NewGuid().ToString("N"), request, CancellationToken.None);
        return (ledger ?? new PostgresCostLedger(db.DataSource, time), job.Job.Id, time);
    }

    private static PaidCall Call(PaidWork work, string provider, decimal units, string kind, decimal usd) =>
        new(work, provider, units, kind, usd, PricesOf);

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using ViralForge.Core.Costs;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Scripts;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Testing.InMemory;

namespace ViralForge.Core.Tests.Costs;

/// <summary>The job's running cost where people see it: the sheet's Cost cell and the review card.</summary>
public sealed class JobCostTests
{
    private static readonly DateOnly PricesOf = new(2026, 12, 4);

    [Theory]
    [InlineData("0", "0")]
    [InlineData("0.0123", "0.0123")]
    [InlineData("0.00847", "0.0085")]
    [InlineData("1.5", "1.5")]
    [InlineData("12.34565", "12.3457")]
    public void The_cost_cell_is_a_plain_invariant_number_to_hundredths_of_a_cent(string usd, string cell) =>
        Assert.Equal(cell, JobCost.Cell(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("0", "$0.00")]
    [InlineData("0.37", "$0.37")]
    [InlineData("0.00847", "$0.0085")]
    public void The_card_shows_dollars_with_at_least_cents(string usd, string text) =>
        Assert.Equal(text, JobCost.Display(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task The_cost_cell_is_the_ledger_total_of_every_generation_and_0_for_a_job_that_paid_nothing()
    {
        var harness = new CoreHarness();
        var (paid, paidRow) = await harness.NewJobAsync("paid");
        var (offline, offlineRow) = await harness.NewJobAsync("offline");
        var ledger = new InMemoryCostLedger();
        await ledger.RecordAsync(Call(new PaidWork(paid.Id, StageName.Script, 1, "script"), 0.0021m), CancellationToken.None);
        await ledger.RecordAsync(Call(new PaidWork(paid.Id, StageName.Voice, 1, "tts"), 0.0072m), CancellationToken.None);
        await ledger.RecordAsync(Call(new PaidWork(paid.Id, StageName.Script, 2, "script"), 0.003m), CancellationToken.None);
        var writer = new SheetStatusWriter(harness.Store, harness.Blobs, harness.Sheets, harness.Time, NullLogger<SheetStatusWriter>.Instance, ledger);

        await writer.SyncAsync(paid.Id, CancellationToken.None);
        await writer.SyncAsync(offline.Id, CancellationToken.None);

        Assert.Equal("0.0123", harness.Sheet.Cell(paidRow, SheetContract.Cost));
        Assert.Equal("0", harness.Sheet.Cell(offlineRow, SheetContract.Cost));
    }

    [Fact]
    public async Task The_review_card_carries_the_cost_so_far()
    {
        var harness = new CoreHarness();
        var (job, _) = await harness.NewJobAsync();
        harness.Stages[StageName.Script].Work = (_, _) => Task.FromResult(StageResult.Completed(
            new VideoScript("Cats and gravity", "Why do cats do it?", [new ScriptBeat("They test gravity.", "Gravity test")], "Follow", "d", [], 165, 30),
            "script done"));
        await harness.RunThroughAsync(job, StageName.Render);
        var ledger = new InMemoryCostLedger();
        await ledger.RecordAsync(Call(new PaidWork(job.Id, StageName.Script, 1, "script"), 0.0021m), CancellationToken.None);
        await ledger.RecordAsync(Call(new PaidWork(job.Id, StageName.Voice, 1, "tts"), 0.0512m), CancellationToken.None);

        var card = await new ReviewCards(harness.Store, harness.Blobs, ledger).BuildAsync(await harness.JobAsync(job.Id), 1, CancellationToken.None);
        var withoutLedger = await new ReviewCards(harness.Store, harness.Blobs).BuildAsync(await harness.JobAsync(job.Id), 1, CancellationToken.None);

        Assert.Equal(0.0533m, card.CostSoFarUsd);
        Assert.Equal("Cats and gravity", card.Title);
        Assert.Equal(0m, withoutLedger.CostSoFarUsd);
    }

    private static PaidCall Call(PaidWork work, decimal usd) => new(work, "openai", 100m, "tokens", usd, PricesOf);
}

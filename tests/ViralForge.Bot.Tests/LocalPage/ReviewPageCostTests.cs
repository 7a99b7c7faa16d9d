using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Bot.Tests.LocalPage;

/// <summary>The local review page shows what the job has cost so far, as the Slack and Teams cards do.</summary>
public sealed class ReviewPageCostTests
{
    [Fact]
    public async Task The_page_shows_the_job_s_cost_so_far_from_the_ledger()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();
        var ledger = host.Get<ICostLedger>();
        var pricesOf = new DateOnly(2026, 12, 4);
        await ledger.RecordAsync(new PaidCall(new PaidWork(job.Id, StageName.Script, 1, "script"), "openai", 1800m, "tokens", 0.0021m, pricesOf), CancellationToken.None);
        await ledger.RecordAsync(new PaidCall(new PaidWork(job.Id, StageName.Voice, 1, "tts"), "elevenlabs", 512m, "characters", 0.0512m, pricesOf), CancellationToken.None);

        var (list, _) = await host.OpenAsync("/review");
        var (page, _) = await host.OpenAsync($"/review/{job.Id}");

        Assert.Contains("<dt>Cost so far</dt><dd>$0.0533</dd>", list, StringComparison.Ordinal);
        Assert.Contains("<dt>Cost so far</dt><dd>$0.0533</dd>", page, StringComparison.Ordinal);
    }
}

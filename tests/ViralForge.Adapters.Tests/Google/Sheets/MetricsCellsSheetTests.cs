using ViralForge.Core.Metrics;
using ViralForge.Core.Sheets;
using static ViralForge.Adapters.Tests.Google.Sheets.SheetsTestHost;

namespace ViralForge.Adapters.Tests.Google.Sheets;

/// <summary>The analytics loop's row write through the simulated Sheets API: one request, the figures as numbers so formulas add them.</summary>
public sealed class MetricsCellsSheetTests
{
    [Fact]
    public async Task A_read_is_one_write_of_views_likes_and_avg_view_as_numbers_and_metrics_updated_as_text()
    {
        using var api = new FakeSheetsApi();
        var jobId = Guid.NewGuid();
        api.AddTab("Ideas", ["Topic", .. SheetContract.OutputColumns], ["Cats", jobId.ToString()]);
        await using var host = Start(api);
        var reads = new[]
        {
            new VideoMetricsRow(jobId, 1, "youtube", "vid1", "24h", MetricsReadStatus.Read, 0, "question", new DateTimeOffset(2026, 12, 8, 15, 0, 0, TimeSpan.Zero),
                new VideoStats(1500, 90, AverageViewPercentage: 57.25), null),
            new VideoMetricsRow(jobId, 1, "tiktok", "7312", "24h", MetricsReadStatus.Read, 0, "question", new DateTimeOffset(2026, 12, 8, 15, 0, 2, TimeSpan.Zero),
                new VideoStats(4200, 300, 17, 9), null),
        };

        await host.DirectSheet("Ideas").WriteAsync([new RowWrite(RowLocator.ByJobId(jobId), MetricsCells.For(reads, reads[1].At))], CancellationToken.None);

        // Views, Likes, Avg View % and Metrics Updated are the columns right of Updated (K to N after Topic in A).
        Assert.Equal(
            """{"valueInputOption":"RAW","data":[{"range":"\u0027Ideas\u0027!K2:N2","majorDimension":"ROWS","values":[[5700,390,57.3,"2026-12-08T15:00:02Z"]]}]}""",
            Assert.Single(api.CallsOf(FakeSheetsApi.BatchUpdate)).Body);
        Assert.Equal(57.3, Assert.IsType<double>(api.Tab("Ideas").Rows[1][12]));
    }
}

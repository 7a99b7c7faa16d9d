using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Testing;

namespace ViralForge.RenderJob.Tests;

/// <summary>A real job brought up to the render stage, and what to look at afterwards.</summary>
internal static class PreparedJob
{
    /// <summary>What a Cloud Run execution would see, small media to keep FFmpeg quick, and only warnings logged.</summary>
    public static Dictionary<string, string?> Environment(TestDatabase db, TempFolder folder) => new()
    {
        ["VF_DATABASE_URL"] = db.ConnectionString,
        ["ViralForge__WorkFolder"] = folder.Path,
        ["ViralForge__Media__Width"] = "270",
        ["ViralForge__Media__Height"] = "480",
        ["ViralForge__Media__Preset"] = "ultrafast",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>A real job through intake and the stages before render, with the local providers (espeak-ng, FFmpeg).</summary>
    public static async Task<Guid> UpToVoiceAsync(IHost host, TempFolder folder)
    {
        var sheetPath = folder.File("sheet.csv");
        await File.WriteAllTextAsync(sheetPath, "Topic,Platform,Duration\nThree stretches for desk workers,youtube,10\n");
        var sheet = host.Services.GetRequiredService<ISheetRegistry>().Open(sheetPath);
        var id = (await host.Services.GetRequiredService<IntakeService>().SubmitAsync(sheet, CancellationToken.None)).Single().JobId!.Value;
        var runner = host.Services.GetRequiredService<StageRunner>();
        foreach (var stage in new[] { StageName.Trends, StageName.Analysis, StageName.Script, StageName.Visuals, StageName.Voice })
        {
            var outcome = await runner.RunAsync(stage, new StageMessage(id, 1), DeliveryInfo.Direct, CancellationToken.None);
            Assert.True(outcome is StageOutcome.Completed, $"{stage.Wire()}: {outcome}");
        }
        return id;
    }

    public static async Task<List<string>> ReviewTasksAsync(TestDatabase db)
    {
        await using var command = db.DataSource.CreateCommand("SELECT name FROM tasks WHERE queue = 'vf-review' ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }
}

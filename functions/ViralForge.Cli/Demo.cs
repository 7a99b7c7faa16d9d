using Spectre.Console;

namespace ViralForge.Cli;

/// <summary>`vf demo`: the bundled sample sheet, copied once into the work folder so a second run continues it.</summary>
public static class Demo
{
    public static Task<int> RunAsync(bool review, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var workFolder = Environment.GetEnvironmentVariable("ViralForge__WorkFolder") ?? ".vf";
        var sheet = Path.GetFullPath(Path.Combine(workFolder, "demo", "sheet.csv"));
        if (!File.Exists(sheet))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(sheet)!);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Samples", "sample-sheet.csv"), sheet);
            console.MarkupLineInterpolated($"Copied the sample sheet to [blue]{sheet}[/]");
        }
        else
        {
            console.MarkupLineInterpolated($"Continuing the demo sheet [blue]{sheet}[/] (delete it to start over)");
        }
        return SheetRun.RunAsync(sheet, review, console, cancellationToken);
    }
}

using System.Text.Json;
using ViralForge.Core.Sheets;

// Reads one JSON object of cells per line and writes RowValidator's Error text for each, one JSON string per line.
foreach (var line in File.ReadLines(args[0]))
{
    var cells = JsonSerializer.Deserialize<Dictionary<string, string>>(line) ?? [];
    Console.WriteLine(JsonSerializer.Serialize(RowValidator.Validate(new SheetRow(1, cells)).Error));
}

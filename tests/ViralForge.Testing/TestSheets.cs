namespace ViralForge.Testing;

/// <summary>CSV sheets for tests that submit rows through the real intake.</summary>
public static class TestSheets
{
    private const string Header = "Topic,Platform,Duration,Notes";

    /// <summary>Writes a one-row sheet (a YouTube video of the topic) at <paramref name="path"/> and returns the path.</summary>
    public static string WriteOneRow(string path, string topic, int durationSeconds, string notes)
    {
        File.WriteAllText(path, $"{Header}\n{Csv(topic)},youtube,{durationSeconds},{Csv(notes)}\n");
        return path;
    }

    private static string Csv(string cell) => cell.Contains(',', StringComparison.Ordinal) || cell.Contains('"', StringComparison.Ordinal)
        ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
        : cell;
}

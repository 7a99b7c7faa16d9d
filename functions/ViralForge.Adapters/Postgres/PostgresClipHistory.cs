using System.Text.Json;
using Npgsql;
using ViralForge.Adapters.Visuals;
using ViralForge.Core.Jobs;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Postgres;

/// <summary>
/// The clip history read from the jobs themselves: the credits in the completed visuals output (StoredClip.Credit) of
/// the latest generation of the sheet's newest jobs. No table of its own, so it can never disagree with what was made.
/// </summary>
public sealed class PostgresClipHistory(NpgsqlDataSource dataSource) : IClipHistory
{
    public async Task<IReadOnlySet<string>> RecentClipKeysAsync(string sheetId, int videos, CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (videos <= 0 || string.IsNullOrEmpty(sheetId))
        {
            return keys;
        }
        // One row per job (its newest completed visuals), newest jobs first.
        await using var command = dataSource.CreateCommand("""
            SELECT latest.output::text FROM (
                SELECT DISTINCT ON (runs.job_id) runs.output, jobs.created_at, jobs.id
                FROM stage_runs runs JOIN jobs ON jobs.id = runs.job_id
                WHERE jobs.sheet_id = @sheet AND runs.stage = @stage AND runs.status = 'completed' AND runs.output IS NOT NULL
                ORDER BY runs.job_id, runs.generation DESC
            ) latest
            ORDER BY latest.created_at DESC, latest.id
            LIMIT @videos
            """);
        command.Parameters.AddWithValue("sheet", sheetId);
        command.Parameters.AddWithValue("stage", StageName.Visuals.Wire());
        command.Parameters.AddWithValue("videos", videos);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            using var document = JsonDocument.Parse(reader.GetString(0));
            VisualsOutput output;
            try
            {
                output = StageJson.FromElement<VisualsOutput>(document.RootElement);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException)
            {
                // An output stored before clips had credits (or damaged) shows no stock clip.
                continue;
            }
            foreach (var credit in output.Credits())
            {
                keys.Add($"{credit.Provider}:{credit.ClipId}");
            }
        }
        return keys;
    }
}

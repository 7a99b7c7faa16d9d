using Npgsql;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Postgres;

/// <summary>
/// Render speeds in PostgreSQL, shared by every host of the deployment. The figure handed out is the 90th percentile of
/// the last <see cref="Window"/> renders: a deadline sized from the typical render would cut off the slow ones, which are
/// exactly the renders that ran while the machine was busy.
/// </summary>
public sealed class PostgresRenderSpeed(NpgsqlDataSource dataSource, TimeProvider time) : IRenderSpeed
{
    /// <summary>How many recent renders the figure is taken over: enough to see a busy machine, few enough to follow a changed one.</summary>
    public const int Window = 20;

    public async Task RecordAsync(double videoSeconds, TimeSpan wallTime, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(videoSeconds);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO render_speeds (recorded_at, video_seconds, wall_seconds) VALUES (@at, @video, @wall)");
        command.Parameters.AddWithValue("at", time.GetUtcNow());
        command.Parameters.AddWithValue("video", videoSeconds);
        command.Parameters.AddWithValue("wall", Math.Max(0, wallTime.TotalSeconds));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<double?> SecondsPerVideoSecondAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY wall_seconds / video_seconds)
            FROM (SELECT wall_seconds, video_seconds FROM render_speeds ORDER BY id DESC LIMIT @window) recent
            """);
        command.Parameters.AddWithValue("window", Window);
        return await command.ExecuteScalarAsync(cancellationToken) is double ratio ? ratio : null;
    }
}

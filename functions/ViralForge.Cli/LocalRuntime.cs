using Spectre.Console;
using Npgsql;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Functions;

namespace ViralForge.Cli;

/// <summary>Starts the functions host in this process on a free loopback port, with the local queue dispatcher.</summary>
public static class LocalRuntime
{
    public static async Task<RunningHost> StartAsync(
        IReadOnlyDictionary<string, string?> settings, Action<WebApplication>? mapMore, CancellationToken cancellationToken)
    {
        var app = FunctionsApp.Create([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.None);
        }, mapMore);
        await app.StartAsync(cancellationToken);
        return new RunningHost(app);
    }

    /// <summary>The database vf was given (./vf sets VF_DATABASE_URL), or a clear error.</summary>
    public static string DatabaseUrl() =>
        Environment.GetEnvironmentVariable(PostgresConnection.EnvironmentVariable)
        ?? throw new InvalidOperationException(
            $"{PostgresConnection.EnvironmentVariable} is not set. Run through ./vf, which starts a private PostgreSQL and sets it.");

    /// <summary>Makes a fresh, empty database next to the configured one and returns its connection string.</summary>
    public static async Task<string> CreateScratchDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnection.ToConnectionString(DatabaseUrl())) { Database = "postgres" };
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        builder.Database = name;
        return builder.ConnectionString;
    }

    /// <summary>
    /// Submits the sheet's rows (the stages write each row's status back into the CSV as they go) and tells which rows
    /// are invalid and why; null, with the reason shown, when the sheet itself cannot be read.
    /// </summary>
    public static async Task<IReadOnlyList<IntakeRow>?> SubmitSheetAsync(IAnsiConsole console, IServiceProvider services, string sheetPath, CancellationToken cancellationToken)
    {
        var sheet = services.GetRequiredService<ISheetRegistry>().Open(sheetPath);
        IReadOnlyList<IntakeRow> rows;
        try
        {
            rows = await services.GetRequiredService<IntakeService>().SubmitAsync(sheet, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return null;
        }
        foreach (var invalid in rows.Where(r => r.Error is not null))
        {
            console.MarkupLineInterpolated($"[yellow]Row {invalid.RowNumber} is invalid:[/] {invalid.Error}");
        }
        return rows;
    }
}

/// <summary>The started host; disposing it stops it first, so the dispatcher hands back its leases while the database is still there.</summary>
public sealed class RunningHost(WebApplication app) : IAsyncDisposable
{
    public IServiceProvider Services => app.Services;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}

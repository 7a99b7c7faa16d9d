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
            // A host that fails to start is said in CliErrors' lines, not also logged with its stack trace.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        }, mapMore);
        return await RunningHost.StartAsync(app, cancellationToken);
    }

    /// <summary>The database vf was given (./vf sets VF_DATABASE_URL), checked to be a URL or connection string; a <see cref="CliProblemException"/> otherwise.</summary>
    public static string DatabaseUrl() => CliErrors.DatabaseUrl(Environment.GetEnvironmentVariable(PostgresConnection.EnvironmentVariable));

    /// <summary>
    /// The full path of the sheet to run, once it is known to be a file the stages can write each row's status back into;
    /// a <see cref="CliProblemException"/> naming the file and the fix otherwise. Runs before anything is submitted, so a
    /// sheet that cannot hear back gets no job (one would otherwise render later, in whatever vf serves the queue).
    /// </summary>
    public static string CheckSheet(string sheetPath)
    {
        var fullPath = Path.GetFullPath(sheetPath);
        if (Directory.Exists(fullPath))
        {
            throw new CliProblemException($"{fullPath} is a folder. Give --sheet a CSV file, such as {Path.Combine(fullPath, "ideas.csv")}");
        }
        if (!File.Exists(fullPath))
        {
            throw new CliProblemException($"there is no sheet at {fullPath}. Check the path, or start from the sample: vf demo copies one into the work folder");
        }
        return Adapters.Local.CsvSheet.WhyNotWritable(fullPath) is { } problem ? throw new CliProblemException(problem) : fullPath;
    }

    /// <summary>
    /// ViralForge:Media:FfmpegFolder as the host will read it (environment first, as the host's configuration does), checked to
    /// hold ffmpeg and ffprobe before a row is submitted that would fail at its first video stage.
    /// </summary>
    public static string CheckFfmpeg(IReadOnlyDictionary<string, string?>? settings = null)
    {
        const string key = "ViralForge:Media:FfmpegFolder";
        var folder = settings?.GetValueOrDefault(key)
            ?? new ConfigurationBuilder().AddEnvironmentVariables().Build()[key]
            ?? new Core.MediaOptions().FfmpegFolder;
        CliErrors.CheckFfmpeg(folder);
        return folder;
    }

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

    /// <summary>
    /// Validates the settings (so a bad one is a settings exception, before the host logs "Hosting failed to start"), then
    /// starts the host. A host that fails to start is disposed without being stopped: stopping a half-started host throws
    /// an exception of its own (an ArgumentNullException) that would hide the real cause.
    /// </summary>
    public static async Task<RunningHost> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            ServiceDefaults.StartupProblems.ValidateSettings(app.Services);
            await app.StartAsync(cancellationToken);
            return new RunningHost(app);
        }
        catch
        {
            try
            {
                await app.DisposeAsync();
            }
#pragma warning disable CA1031 // The start's exception is the one to report; one from the clean-up after it would hide it.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}

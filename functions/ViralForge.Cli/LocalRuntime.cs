using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Npgsql;
using ViralForge.Adapters.Postgres;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
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
            OwnShutdown(builder);
        }, mapMore);
        return await RunningHost.StartAsync(app, cancellationToken);
    }

    /// <summary>How long stopping the in-process host may wait for requests still running, after they were told to stop.</summary>
    public static readonly TimeSpan HostStopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Makes a host in the vf process stop the way <see cref="Shutdown"/> needs: no signal handling of its own (the
    /// command's token is the one stop), every request (a stage attempt the local queue delivered) cancelled as soon as
    /// the host starts stopping, a bounded stop, and, at start, the scratch folders of killed vf processes swept away.
    /// </summary>
    public static void OwnShutdown(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // ConsoleLifetime would call StopApplication on SIGTERM itself, cancelling the stages before the dispatcher has
        // stopped (their 500s would then count as failed attempts). This lifetime does nothing: vf stops the host.
        builder.Services.AddSingleton<IHostLifetime, CommandOwnedLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = HostStopTimeout);
        builder.Services.AddTransient<IStartupFilter, CancelRequestsOnStop>();
        builder.Services.AddHostedService<ScratchSweep>();
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
        // The dispatcher first: its in-flight deliveries are cancelled without being counted as failed attempts, the
        // stage requests they made are aborted (so the stages stop, kill ffmpeg and free their runs), and it hands its
        // leased tasks back. Only then the host, whose stop also cancels any request still running (OwnShutdown).
        using (var bounded = new CancellationTokenSource(LocalRuntime.HostStopTimeout))
        {
            foreach (var dispatcher in app.Services.GetServices<IHostedService>().OfType<LocalTaskDispatcher>())
            {
                await dispatcher.StopAsync(bounded.Token);
            }
        }
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}

/// <summary>A host lifetime that leaves SIGINT and SIGTERM to the command (<see cref="Shutdown"/>).</summary>
internal sealed class CommandOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Links every request's RequestAborted to ApplicationStopping. A stage attempt runs for as long as its request does, and
/// Kestrel's graceful stop would otherwise wait for a render to finish.
/// </summary>
internal sealed class CancelRequestsOnStop(IHostApplicationLifetime lifetime) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            context.RequestAborted = linked.Token;
            await nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>At start, deletes the scratch folders whose vf process is gone (killed mid-stage: no finally ran).</summary>
internal sealed class ScratchSweep(IOptions<ViralForgeOptions> options, TimeProvider time) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        ScratchFolders.SweepStale(StageRunner.ScratchRoot(options.Value), time);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

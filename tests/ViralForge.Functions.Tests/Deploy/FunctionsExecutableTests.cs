using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ViralForge.Adapters.Postgres;
using ViralForge.Testing;

namespace ViralForge.Functions.Tests.Deploy;

/// <summary>The functions executable as the image runs it: --migrate-only for the deploy's migration job, PORT on Cloud Run.</summary>
public sealed class FunctionsExecutableTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Migrate_only_applies_each_migration_once_with_nothing_but_the_database_set()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        // The gcp profile with Google OIDC, yet no Google setting: the migration job carries only the database secret.
        void Configure(WebApplicationBuilder builder)
        {
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [PostgresConnection.EnvironmentVariable] = db.ConnectionString,
                ["ViralForge:Profile"] = "gcp",
                ["ViralForge:InboundAuth"] = "google-oidc",
            });
        }

        var first = await FunctionsApp.MigrateAsync([], Configure);
        var second = await FunctionsApp.MigrateAsync([], Configure);

        Assert.Equal(SchemaMigrator.Embedded().Select(s => s.Name), first);
        Assert.Empty(second);
        await using var count = db.DataSource.CreateCommand("SELECT count(*) FROM schema_migrations");
        Assert.Equal((long)first.Count, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task The_executable_with_migrate_only_migrates_and_exits_0_without_serving()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var port = TestHost.FreePort();

        var (exitCode, stdout, stderr) = await RunToEndAsync([FunctionsApp.MigrateOnlyFlag], new()
        {
            [PostgresConnection.EnvironmentVariable] = db.ConnectionString,
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        Assert.True(exitCode == 0, $"exit code {exitCode}\nstdout: {stdout}\nstderr: {stderr}");
        Assert.Contains("Applied migrations 001_", stdout, StringComparison.Ordinal);
        await using var count = db.DataSource.CreateCommand("SELECT count(*) FROM jobs");
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_database_out_of_reach_exits_1_with_one_line_saying_so()
    {
        using var folder = new TempFolder();

        var (exitCode, stdout, stderr) = await RunToEndAsync([FunctionsApp.MigrateOnlyFlag], new()
        {
            [PostgresConnection.EnvironmentVariable] = $"Host={folder.Path};Username=vf;Database=viralforge;Timeout=5",
        });

        Assert.True(exitCode == 1, $"exit code {exitCode}\nstdout: {stdout}\nstderr: {stderr}");
        Assert.StartsWith("Migration failed: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("ViralForge__Profile", "aws", "ViralForge:Profile (environment ViralForge__Profile) 'aws' is not a profile; use 'local' or 'gcp'.")]
    [InlineData("ViralForge__Media__Width", "10", "ViralForgeOptions.Media.Width must be between 240 and 4320.")]
    [InlineData("ViralForge__Queue__Queues__vf-rendr__MaxAttempts", "3", "ViralForge:Queue:Queues:vf-rendr names no queue;")]
    public async Task A_bad_setting_exits_2_with_one_line_naming_it_and_no_stack_trace(string setting, string value, string expected)
    {
        await using var db = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();

        var (exitCode, stdout, stderr) = await RunToEndAsync([], new()
        {
            [PostgresConnection.EnvironmentVariable] = db.ConnectionString,
            ["ViralForge__WorkFolder"] = folder.Path,
            [setting] = value,
        });

        Assert.True(exitCode == 2, $"exit code {exitCode}\nstdout: {stdout}\nstderr: {stderr}");
        Assert.StartsWith("viralforge-functions: ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_listens_on_the_port_Cloud_Run_names()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        var port = TestHost.FreePort();
        using var host = Start([], new()
        {
            [PostgresConnection.EnvironmentVariable] = db.ConnectionString,
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [FunctionsApp.FunctionTargetVariable] = "script",
            ["ViralForge__WorkFolder"] = folder.Path,
            ["ViralForge__Queue__RunDispatcher"] = "false",
        });
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var cts = new CancellationTokenSource(Patience);
            HttpResponseMessage? health = null;
            while (health is null)
            {
                if (host.HasExited)
                {
                    Assert.Fail($"the host exited {host.ExitCode}: {await host.StandardError.ReadToEndAsync(cts.Token)}");
                }
                try
                {
                    health = await client.GetAsync("/healthz", cts.Token);
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100, cts.Token);
                }
            }

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            // FUNCTION_TARGET=script: this service has the script endpoint and no other stage's.
            using var script = await client.PostAsync("/stages/script", null, cts.Token);
            using var trends = await client.PostAsync("/stages/trends", null, cts.Token);
            Assert.Equal(HttpStatusCode.Unauthorized, script.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, trends.StatusCode);
            health.Dispose();
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunToEndAsync(string[] args, Dictionary<string, string> environment)
    {
        using var process = Start(args, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>dotnet ViralForge.Functions.dll, as the image's ENTRYPOINT starts it, with a clean ASP.NET Core environment.</summary>
    private static Process Start(string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, $"{typeof(FunctionsApp).Assembly.GetName().Name}.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k == "PORT").ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the functions host");
    }
}

using Npgsql;
using ViralForge.Adapters.Postgres;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Postgres;

public sealed class SchemaMigratorTests
{
    [Fact]
    public async Task Applies_every_file_once_and_a_second_run_is_a_no_op()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var migrator = new SchemaMigrator(db.DataSource);

        var first = await migrator.MigrateAsync(CancellationToken.None);
        var second = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(SchemaMigrator.Embedded().Select(s => s.Name), first);
        Assert.Contains("001_jobs.sql", first);
        Assert.Empty(second);
        await using var count = db.DataSource.CreateCommand("SELECT count(*) FROM schema_migrations");
        Assert.Equal((long)first.Count, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_changed_applied_file_is_an_error_that_names_it()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var migrator = new SchemaMigrator(db.DataSource);
        var scripts = new List<MigrationScript> { new("001_first.sql", "CREATE TABLE a (x int);") };
        await migrator.MigrateAsync(scripts, CancellationToken.None);

        var changed = new List<MigrationScript> { new("001_first.sql", "CREATE TABLE a (x bigint);") };
        var error = await Assert.ThrowsAsync<MigrationChangedException>(() => migrator.MigrateAsync(changed, CancellationToken.None));

        Assert.Contains("sql/001_first.sql", error.Message);
    }

    [Fact]
    public async Task A_failing_file_names_itself_and_leaves_nothing_half_applied()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var migrator = new SchemaMigrator(db.DataSource);
        var scripts = new List<MigrationScript>
        {
            new("001_good.sql", "CREATE TABLE good (x int);"),
            new("002_bad.sql", "CREATE TABLE bad (x nosuchtype);"),
        };

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => migrator.MigrateAsync(scripts, CancellationToken.None));

        Assert.Contains("sql/002_bad.sql", error.Message);
        await using var exists = db.DataSource.CreateCommand("SELECT to_regclass('good') IS NOT NULL");
        Assert.False((bool)(await exists.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Badly_named_files_are_refused()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            new SchemaMigrator(db.DataSource).MigrateAsync([new MigrationScript("init.sql", "SELECT 1")], CancellationToken.None));
        Assert.Contains("init.sql", error.Message);
    }

    [Fact]
    public async Task The_event_log_is_append_only()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var insert = db.DataSource.CreateCommand("""
            INSERT INTO jobs (id, sheet_id, row_hash, request, status, created_at, updated_at)
            VALUES ('00000000-0000-0000-0000-000000000001', 's', 'h', '{}', 'queued', now(), now());
            INSERT INTO job_events (job_id, at, kind, message) VALUES ('00000000-0000-0000-0000-000000000001', now(), 'k', 'm');
            """);
        await insert.ExecuteNonQueryAsync();

        await using var update = db.DataSource.CreateCommand("UPDATE job_events SET message = 'edited'");
        var error = await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.RestrictViolation, error.SqlState);
    }
}

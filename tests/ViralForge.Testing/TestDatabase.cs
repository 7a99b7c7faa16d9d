using Npgsql;
using ViralForge.Adapters.Postgres;

namespace ViralForge.Testing;

/// <summary>
/// A fresh PostgreSQL database for one test class, migrated, dropped afterwards. The server is the
/// one ./vf test starts (VF_DATABASE_URL); tests never skip for lack of it, they fail and say why.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string adminConnectionString;

    private TestDatabase(string adminConnectionString, string name, NpgsqlDataSource dataSource)
    {
        this.adminConnectionString = adminConnectionString;
        Name = name;
        DataSource = dataSource;
    }

    public string Name { get; }

    public NpgsqlDataSource DataSource { get; }

    public string ConnectionString => DataSource.ConnectionString;

    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var url = Environment.GetEnvironmentVariable(PostgresConnection.EnvironmentVariable)
            ?? throw new InvalidOperationException(
                $"{PostgresConnection.EnvironmentVariable} is not set: run the tests with ./vf test, which installs and starts PostgreSQL.");
        var admin = new NpgsqlConnectionStringBuilder(PostgresConnection.ToConnectionString(url)) { Database = "postgres", Pooling = false };
        var name = $"vf_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name, Pooling = true };
        var database = new TestDatabase(admin.ConnectionString, name, NpgsqlDataSource.Create(builder.ConnectionString));
        if (migrate)
        {
            await new SchemaMigrator(database.DataSource).MigrateAsync(CancellationToken.None);
        }
        return database;
    }

    /// <summary>Runs a scalar query against this database.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

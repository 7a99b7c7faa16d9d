using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace ViralForge.Adapters.Postgres;

/// <summary>A numbered plain-SQL file from sql/.</summary>
public sealed record MigrationScript(string Name, string Sql)
{
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}

/// <summary>An applied migration file was edited afterwards: the database and the code disagree.</summary>
public sealed class MigrationChangedException(string name)
    : Exception($"Migration sql/{name} was changed after it was applied. Applied files are history: add a new numbered file instead.")
{
    public string Name { get; } = name;
}

/// <summary>
/// Applies the sql/NNN_name.sql files in order at start-up, each once, recording name and checksum in
/// schema_migrations. An advisory lock lets several hosts start at once.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource)
{
    private const long LockKey = 0x5646_4d49_4752; // "VFMIGR"

    /// <summary>The migration files embedded in this assembly, in order.</summary>
    public static IReadOnlyList<MigrationScript> Embedded()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("sql/", StringComparison.Ordinal))
            .Select(n => new MigrationScript(n["sql/".Length..], Read(assembly, n)))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Applies what is missing; returns the names applied now.</summary>
    public Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(Embedded(), cancellationToken);

    public async Task<IReadOnlyList<string>> MigrateAsync(IReadOnlyList<MigrationScript> scripts, CancellationToken cancellationToken)
    {
        foreach (var script in scripts.Where(s => !FileName().IsMatch(s.Name)))
        {
            throw new InvalidDataException($"Migration file sql/{script.Name} must be named like 001_what_it_does.sql.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        await Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name        text PRIMARY KEY,
                sha256      text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now())
            """, cancellationToken);

        var applied = new Dictionary<string, string>();
        await using (var read = new NpgsqlCommand("SELECT name, sha256 FROM schema_migrations", connection))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var appliedNow = new List<string>();
        foreach (var script in scripts.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            if (applied.TryGetValue(script.Name, out var sha))
            {
                if (sha != script.Sha256)
                {
                    throw new MigrationChangedException(script.Name);
                }
                continue;
            }
            try
            {
                await Execute(connection, script.Sql, cancellationToken);
            }
            catch (PostgresException ex)
            {
                throw new InvalidDataException($"Migration sql/{script.Name} failed: {ex.MessageText} (SQLSTATE {ex.SqlState}).", ex);
            }
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (name, sha256) VALUES (@name, @sha)", connection);
            record.Parameters.AddWithValue("name", script.Name);
            record.Parameters.AddWithValue("sha", script.Sha256);
            await record.ExecuteNonQueryAsync(cancellationToken);
            appliedNow.Add(script.Name);
        }
        await transaction.CommitAsync(cancellationToken);
        return appliedNow;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^\d{3}_[a-z0-9_]+\.sql$")]
    private static partial Regex FileName();
}

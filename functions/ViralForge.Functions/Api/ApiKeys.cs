using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace ViralForge.Functions.Api;

/// <summary>What an API key may do: read (GET) or write (everything, making and revoking keys included).</summary>
public enum ApiScope
{
    Read,
    Write,
}

/// <summary>Wire words of <see cref="ApiScope"/>.</summary>
public static class ApiScopes
{
    public static string Wire(this ApiScope scope) => scope == ApiScope.Write ? "write" : "read";

    public static bool TryParse(string? text, out ApiScope scope)
    {
        switch (text)
        {
            case "read":
                scope = ApiScope.Read;
                return true;
            case "write":
                scope = ApiScope.Write;
                return true;
            default:
                scope = ApiScope.Read;
                return false;
        }
    }
}

/// <summary>A key as listed: never the key itself, which only its creator saw once.</summary>
public sealed record ApiKeyInfo(long Id, string Owner, ApiScope Scope, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A key just made: the key (shown once, never stored) and its record.</summary>
public sealed record CreatedApiKey(string Key, ApiKeyInfo Info);

/// <summary>The live key a request presented.</summary>
public sealed record ApiKeyHolder(long Id, string Owner, ApiScope Scope);

/// <summary>
/// The Jobs API's keys in PostgreSQL (sql/013_api_keys.sql). A key is "vfa_" and 32 random bytes in base64url; only its
/// SHA-256 is stored and a presented key is looked up by its hash, so neither the table nor a timing difference gives a
/// key away. A person or integration may hold several keys (one per tool), each revocable on its own.
/// </summary>
public sealed class ApiKeys(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const string Prefix = "vfa_";

    public const int MaxOwnerLength = 200;

    // last_used_at is written at most this often per key, so a busy key does not write a row per request.
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    private const string Columns = "id, owner, scope, created_by, created_at, last_used_at, revoked_at";

    /// <summary>Makes a key for <paramref name="owner"/>; <paramref name="createdBy"/> is "cli" or the API caller.</summary>
    public async Task<CreatedApiKey> CreateAsync(string owner, ApiScope scope, string createdBy, CancellationToken cancellationToken)
    {
        owner = CheckOwner(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(createdBy);
        var key = Prefix + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO api_keys (key_hash, owner, scope, created_by, created_at) VALUES (@hash, @owner, @scope, @by, @now)
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("hash", Hash(key));
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("scope", scope.Wire());
        command.Parameters.AddWithValue("by", createdBy);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new CreatedApiKey(key, Read(reader));
    }

    /// <summary>Revokes a live key; false when there is no such key or it was revoked already.</summary>
    public async Task<bool> RevokeAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Every key, live ones first, newest first; revoked keys stay listed with when they were revoked.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM api_keys ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }
        return keys;
    }

    /// <summary>The live key presented, or null for one that is malformed, unknown or revoked; notes when it was last used.</summary>
    public async Task<ApiKeyHolder?> FindAsync(string presentedKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presentedKey);
        // "vfa_" and 43 base64url characters; anything else cannot be a key and costs no query.
        if (!IsWellFormed(presentedKey))
        {
            return null;
        }
        var now = time.GetUtcNow();
        ApiKeyHolder holder;
        DateTimeOffset? lastUsed;
        await using (var command = dataSource.CreateCommand("SELECT id, owner, scope, last_used_at FROM api_keys WHERE key_hash = @hash AND revoked_at IS NULL"))
        {
            command.Parameters.AddWithValue("hash", Hash(presentedKey));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            ApiScopes.TryParse(reader.GetString(2), out var scope);
            holder = new ApiKeyHolder(reader.GetInt64(0), reader.GetString(1), scope);
            lastUsed = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3);
        }
        if (lastUsed is null || now - lastUsed >= TouchEvery)
        {
            await using var touch = dataSource.CreateCommand("UPDATE api_keys SET last_used_at = @now WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @now)");
            touch.Parameters.AddWithValue("id", holder.Id);
            touch.Parameters.AddWithValue("now", now);
            await touch.ExecuteNonQueryAsync(cancellationToken);
        }
        return holder;
    }

    /// <summary>Whether the text has a key's shape; says nothing about whether the key exists.</summary>
    public static bool IsWellFormed(string text) =>
        text.StartsWith(Prefix, StringComparison.Ordinal) && text.Length == Prefix.Length + 43
        && text.AsSpan(Prefix.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;

    /// <summary>SHA-256 of the key's UTF-8 bytes: what the table keeps.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The owner trimmed; a sentence naming the problem for an empty, overlong or control-character one.</summary>
    public static string CheckOwner(string? owner)
    {
        var trimmed = owner?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("The key's owner is empty; name who or what will use it (a person's email, a team, \"zapier\").", nameof(owner));
        }
        if (trimmed.Length > MaxOwnerLength || trimmed.Any(char.IsControl))
        {
            throw new ArgumentException($"The key's owner must be at most {MaxOwnerLength} characters of plain text.", nameof(owner));
        }
        return trimmed;
    }

    private static ApiKeyInfo Read(NpgsqlDataReader r)
    {
        ApiScopes.TryParse(r.GetString(2), out var scope);
        return new ApiKeyInfo(r.GetInt64(0), r.GetString(1), scope, r.GetString(3), r.GetFieldValue<DateTimeOffset>(4),
            r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6));
    }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace ViralForge.Functions.Addon;

/// <summary>A key just issued: the key itself (shown to its owner once, never stored) and when it was made.</summary>
public sealed record IssuedKey(string Key, DateTimeOffset CreatedAt);

/// <summary>
/// The add-on's API keys in PostgreSQL (sql/004_addon.sql). A key is "vfk_" and 32 random bytes in base64url; only
/// its SHA-256 is stored, and a presented key is looked up by its hash, so neither the table nor a timing difference
/// gives a key away. Each person has at most one live key: issuing a new one revokes the old one.
/// </summary>
public sealed class AddonKeys(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const string Prefix = "vfk_";

    /// <summary>Issues a new key for <paramref name="ownerEmail"/>, revoking the one they had.</summary>
    public async Task<IssuedKey> IssueAsync(string ownerEmail, CancellationToken cancellationToken)
    {
        var owner = Normalize(ownerEmail);
        var key = Prefix + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Two sidebars asking at once take turns, so the second revokes the first's key rather than failing on the
        // one-live-key index.
        await using (var command = new NpgsqlCommand("""
            SELECT pg_advisory_xact_lock(hashtextextended(@owner, 4004));
            UPDATE addon_keys SET revoked_at = @now WHERE owner_email = @owner AND revoked_at IS NULL;
            INSERT INTO addon_keys (owner_email, key_hash, created_at) VALUES (@owner, @hash, @now);
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("owner", owner);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("hash", Hash(key));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new IssuedKey(key, now);
    }

    /// <summary>Revokes the owner's live key; false when they had none.</summary>
    public async Task<bool> RevokeAsync(string ownerEmail, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE addon_keys SET revoked_at = @now WHERE owner_email = @owner AND revoked_at IS NULL");
        command.Parameters.AddWithValue("owner", Normalize(ownerEmail));
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The owner of a live key, or null for a key that is malformed, unknown or revoked.</summary>
    public async Task<string?> FindOwnerAsync(string presentedKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presentedKey);
        // "vfk_" and 43 base64url characters; anything else cannot be a key and costs no query.
        if (!presentedKey.StartsWith(Prefix, StringComparison.Ordinal) || presentedKey.Length != Prefix.Length + 43)
        {
            return null;
        }
        await using var command = dataSource.CreateCommand(
            "SELECT owner_email FROM addon_keys WHERE key_hash = @hash AND revoked_at IS NULL");
        command.Parameters.AddWithValue("hash", Hash(presentedKey));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>SHA-256 of the key's UTF-8 bytes: what the table keeps.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string Normalize(string email)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        return email.Trim().ToLowerInvariant();
    }
}

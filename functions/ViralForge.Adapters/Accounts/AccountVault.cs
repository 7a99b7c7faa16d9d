using Npgsql;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Accounts;

/// <summary>A connected account as `vf connect --list` shows it: when it was connected and refreshed, and whether it must be connected again.</summary>
public sealed record StoredAccount(PlatformAccount Account, DateTimeOffset ConnectedAt, DateTimeOffset? RefreshedAt, string? ReconnectReason);

/// <summary>What a refresh gave: the value for the caller, and the platform's new refresh token when it rotated one (TikTok).</summary>
public sealed record Refreshed<T>(T Value, string? NewRefreshToken);

/// <summary>
/// The connected accounts in PostgreSQL (sql/010_platform_accounts.sql), their refresh tokens sealed by
/// <see cref="TokenCipher"/>. A refresh runs with the account's row locked, so two processes never spend the same
/// rotating refresh token, and the rotated token is written in the same transaction before the caller gets its access token.
/// </summary>
public sealed class AccountVault(NpgsqlDataSource dataSource, TokenCipher cipher, TimeProvider time)
{
    private const string Columns = "platform, account_id, name, connected_at, refreshed_at, reconnect_reason";

    /// <summary>Stores (or replaces) an account's refresh token, as connected now, clearing any reconnect reason.</summary>
    public async Task SaveAsync(PlatformAccount account, string refreshToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var token = cipher.Seal(account.Platform, account.AccountId, refreshToken);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO platform_accounts (platform, account_id, name, ciphertext, nonce, tag, key_id, connected_at, refreshed_at, reconnect_reason)
            VALUES (@platform, @account, @name, @ciphertext, @nonce, @tag, @key, @now, NULL, NULL)
            ON CONFLICT (platform, account_id) DO UPDATE
            SET name = EXCLUDED.name, ciphertext = EXCLUDED.ciphertext, nonce = EXCLUDED.nonce, tag = EXCLUDED.tag,
                key_id = EXCLUDED.key_id, connected_at = EXCLUDED.connected_at, refreshed_at = NULL, reconnect_reason = NULL
            """);
        command.Parameters.AddWithValue("platform", account.Platform);
        command.Parameters.AddWithValue("account", account.AccountId);
        command.Parameters.AddWithValue("name", account.Name);
        AddToken(command, token);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every connected account, by platform and name.</summary>
    public async Task<IReadOnlyList<StoredAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM platform_accounts ORDER BY platform, name, account_id");
        var accounts = new List<StoredAccount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(new StoredAccount(
                new PlatformAccount(reader.GetString(0), reader.GetString(1), reader.GetString(2)),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return accounts;
    }

    /// <summary>The account's refresh token in clear (for a refresh; tests read it to check a rotation was stored).</summary>
    public async Task<string> ReadRefreshTokenAsync(PlatformAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadTokenAsync(connection, account, forUpdate: false, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="exchange"/> with the account's refresh token while its row is locked, stores the rotated token
    /// it returns (if any) and the refresh time, then commits. A <see cref="ReconnectRequiredException"/> from the
    /// exchange marks the account reconnect-required, committed, before it is rethrown.
    /// </summary>
    public async Task<T> RefreshAsync<T>(
        PlatformAccount account, Func<string, CancellationToken, Task<Refreshed<T>>> exchange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(exchange);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var refreshToken = await ReadTokenAsync(connection, account, forUpdate: true, cancellationToken);
        Refreshed<T> refreshed;
        try
        {
            refreshed = await exchange(refreshToken, cancellationToken);
        }
        catch (ReconnectRequiredException e)
        {
            await SetReasonAsync(connection, account, ReasonOf(e), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            throw;
        }
        if (refreshed.NewRefreshToken is { Length: > 0 } rotated && rotated != refreshToken)
        {
            var token = cipher.Seal(account.Platform, account.AccountId, rotated);
            await using var update = new NpgsqlCommand("""
                UPDATE platform_accounts SET ciphertext = @ciphertext, nonce = @nonce, tag = @tag, key_id = @key, refreshed_at = @now
                WHERE platform = @platform AND account_id = @account
                """, connection);
            AddKey(update, account);
            AddToken(update, token);
            update.Parameters.AddWithValue("now", time.GetUtcNow());
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        else
        {
            await using var update = new NpgsqlCommand("UPDATE platform_accounts SET refreshed_at = @now WHERE platform = @platform AND account_id = @account", connection);
            AddKey(update, account);
            update.Parameters.AddWithValue("now", time.GetUtcNow());
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return refreshed.Value;
    }

    /// <summary>Marks the account as needing `vf connect` again, with the platform's reason (shown by --list and in the row).</summary>
    public async Task MarkReconnectRequiredAsync(PlatformAccount account, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await SetReasonAsync(connection, account, reason, cancellationToken);
    }

    private static string ReasonOf(ReconnectRequiredException e)
    {
        // The message is "Reconnect X (account): reason; run ./vf connect x": the reason alone is stored.
        var text = e.Message;
        var start = text.IndexOf(": ", StringComparison.Ordinal);
        var end = text.LastIndexOf("; run ./vf connect", StringComparison.Ordinal);
        return start >= 0 && end > start ? text[(start + 2)..end] : text;
    }

    private async Task<string> ReadTokenAsync(NpgsqlConnection connection, PlatformAccount account, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT ciphertext, nonce, tag, key_id FROM platform_accounts WHERE platform = @platform AND account_id = @account" + (forUpdate ? " FOR UPDATE" : ""),
            connection);
        AddKey(command, account);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new ReconnectRequiredException(account.Platform, account.Name, "the account is not connected any more");
        }
        var token = new SealedToken(reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2), reader.GetString(3));
        return cipher.Open(account.Platform, account.AccountId, token);
    }

    private static async Task SetReasonAsync(NpgsqlConnection connection, PlatformAccount account, string reason, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("UPDATE platform_accounts SET reconnect_reason = @reason WHERE platform = @platform AND account_id = @account", connection);
        AddKey(command, account);
        command.Parameters.AddWithValue("reason", reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddKey(NpgsqlCommand command, PlatformAccount account)
    {
        command.Parameters.AddWithValue("platform", account.Platform);
        command.Parameters.AddWithValue("account", account.AccountId);
    }

    private static void AddToken(NpgsqlCommand command, SealedToken token)
    {
        command.Parameters.AddWithValue("ciphertext", token.Ciphertext);
        command.Parameters.AddWithValue("nonce", token.Nonce);
        command.Parameters.AddWithValue("tag", token.Tag);
        command.Parameters.AddWithValue("key", token.KeyId);
    }
}

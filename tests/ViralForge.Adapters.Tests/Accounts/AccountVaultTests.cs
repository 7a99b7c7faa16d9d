using System.Text;
using ViralForge.Adapters.Accounts;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Accounts;

/// <summary>The token vault in PostgreSQL: AES-GCM per write, the key outside the database, clear messages for a wrong key.</summary>
public sealed class AccountVaultTests
{
    private const string RefreshToken = "1//0gRefreshTokenThatMustNeverBeStoredInClear-abcdef";
    private static readonly PlatformAccount Channel = new("youtube", "UCabc123", "Garden Tips");

    [Fact]
    public async Task A_stored_refresh_token_reads_back_and_the_account_is_listed()
    {
        await using var db = await TestDatabase.CreateAsync();
        var vault = Vault(db, AccountKey.FromBytes(Key(1)));

        await vault.SaveAsync(Channel, RefreshToken, CancellationToken.None);

        Assert.Equal(RefreshToken, await vault.ReadRefreshTokenAsync(Channel, CancellationToken.None));
        var listed = Assert.Single(await vault.ListAsync(CancellationToken.None));
        Assert.Equal(Channel, listed.Account);
        Assert.Null(listed.ReconnectReason);
        Assert.Null(listed.RefreshedAt);
    }

    [Fact]
    public async Task Every_write_has_its_own_nonce_and_ciphertext_and_none_holds_the_token()
    {
        await using var db = await TestDatabase.CreateAsync();
        var vault = Vault(db, AccountKey.FromBytes(Key(1)));

        await vault.SaveAsync(Channel, RefreshToken, CancellationToken.None);
        var (cipher1, nonce1) = await RawAsync(db);
        await vault.SaveAsync(Channel, RefreshToken, CancellationToken.None);
        var (cipher2, nonce2) = await RawAsync(db);

        Assert.NotEqual(nonce1, nonce2);
        Assert.NotEqual(cipher1, cipher2);
        Assert.Equal(12, nonce1.Length);
        var plain = Encoding.UTF8.GetBytes(RefreshToken);
        Assert.Equal(-1, cipher1.AsSpan().IndexOf(plain));
        Assert.Equal(-1, cipher1.AsSpan().IndexOf(plain.AsSpan(0, 8)));
        // Nothing else in the row holds it either.
        var row = await db.ScalarAsync<string>("SELECT row_to_json(a)::text FROM platform_accounts a");
        Assert.DoesNotContain(RefreshToken, row, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(plain), row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_ciphertext_does_not_decrypt_and_says_to_connect_again()
    {
        await using var db = await TestDatabase.CreateAsync();
        var vault = Vault(db, AccountKey.FromBytes(Key(1)));
        await vault.SaveAsync(Channel, RefreshToken, CancellationToken.None);
        await db.ScalarAsync<int>("WITH u AS (UPDATE platform_accounts SET ciphertext = set_byte(ciphertext, 3, get_byte(ciphertext, 3) # 1) RETURNING 1) SELECT count(*)::int FROM u");

        var e = await Assert.ThrowsAsync<AccountKeyException>(() => vault.ReadRefreshTokenAsync(Channel, CancellationToken.None));

        Assert.Contains("changed or damaged", e.Message, StringComparison.Ordinal);
        Assert.Contains("./vf connect youtube", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_copied_onto_another_accounts_row_does_not_decrypt_there()
    {
        await using var db = await TestDatabase.CreateAsync();
        var vault = Vault(db, AccountKey.FromBytes(Key(1)));
        var other = new PlatformAccount("youtube", "UCother", "Other");
        await vault.SaveAsync(Channel, RefreshToken, CancellationToken.None);
        await vault.SaveAsync(other, "another-token-value-0000000000", CancellationToken.None);
        await db.ScalarAsync<int>("""
            WITH u AS (UPDATE platform_accounts o SET ciphertext = a.ciphertext, nonce = a.nonce, tag = a.tag
                       FROM platform_accounts a WHERE a.account_id = 'UCabc123' AND o.account_id = 'UCother' RETURNING 1)
            SELECT count(*)::int FROM u
            """);

        await Assert.ThrowsAsync<AccountKeyException>(() => vault.ReadRefreshTokenAsync(other, CancellationToken.None));
    }

    [Fact]
    public async Task Another_key_fails_naming_both_key_ids_and_the_setting_but_neither_key()
    {
        await using var db = await TestDatabase.CreateAsync();
        var stored = AccountKey.FromBytes(Key(1));
        var other = AccountKey.FromBytes(Key(2));
        await Vault(db, stored).SaveAsync(Channel, RefreshToken, CancellationToken.None);

        var e = await Assert.ThrowsAsync<AccountKeyException>(() => Vault(db, other).ReadRefreshTokenAsync(Channel, CancellationToken.None));

        Assert.Contains(stored.Id, e.Message, StringComparison.Ordinal);
        Assert.Contains(other.Id, e.Message, StringComparison.Ordinal);
        Assert.Contains("Accounts:EncryptionKey", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Key(1)), e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Key(2)), e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(RefreshToken, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refresh_that_rotates_stores_the_new_token_and_a_refused_grant_marks_the_account()
    {
        await using var db = await TestDatabase.CreateAsync();
        var vault = Vault(db, AccountKey.FromBytes(Key(1)));
        await vault.SaveAsync(Channel, "old-refresh", CancellationToken.None);

        var seen = await vault.RefreshAsync(Channel, (token, _) => Task.FromResult(new Refreshed<string>(token, "new-refresh")), CancellationToken.None);
        Assert.Equal("old-refresh", seen);
        Assert.Equal("new-refresh", await vault.ReadRefreshTokenAsync(Channel, CancellationToken.None));
        Assert.NotNull(Assert.Single(await vault.ListAsync(CancellationToken.None)).RefreshedAt);

        await Assert.ThrowsAsync<ReconnectRequiredException>(() => vault.RefreshAsync<string>(Channel,
            (_, _) => throw new ReconnectRequiredException("youtube", "Garden Tips", "YouTube refused the stored grant (400 invalid_grant)"), CancellationToken.None));
        Assert.Equal("YouTube refused the stored grant (400 invalid_grant)", Assert.Single(await vault.ListAsync(CancellationToken.None)).ReconnectReason);

        // Connecting again clears it.
        await vault.SaveAsync(Channel, "fresh", CancellationToken.None);
        Assert.Null(Assert.Single(await vault.ListAsync(CancellationToken.None)).ReconnectReason);
    }

    internal static byte[] Key(byte seed) => [.. Enumerable.Range(0, AccountKey.Bytes).Select(i => (byte)(i * 7 + seed))];

    internal static AccountVault Vault(TestDatabase db, AccountKey key) => new(db.DataSource, new TokenCipher(key), TimeProvider.System);

    private static async Task<(byte[] Cipher, byte[] Nonce)> RawAsync(TestDatabase db) =>
        (await db.ScalarAsync<byte[]>("SELECT ciphertext FROM platform_accounts"), await db.ScalarAsync<byte[]>("SELECT nonce FROM platform_accounts"));
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Accounts;

/// <summary>
/// Access tokens for the connected accounts: the refresh token from the <see cref="AccountVault"/> is exchanged on use
/// (Google's token endpoint, TikTok's /v2/oauth/token/, which rotates the refresh token: the vault stores the new one
/// before the access token is handed out), and the access token is kept until <see cref="AccountsOptions.RefreshBefore"/>
/// before its expires_in. A refused grant marks the account reconnect-required, and every later call says so without
/// asking the platform again, until `vf connect` stores a new grant.
/// </summary>
public sealed class PlatformTokens(
    AccountVault vault,
    PlatformOAuth oauth,
    IOptions<AccountsOptions> accounts,
    IOptions<PublishingAccountsOptions> defaults,
    TimeProvider time) : IPlatformTokens, IDisposable
{
    private sealed record CachedAccess(string AccessToken, DateTimeOffset GoodUntil);

    private readonly ConcurrentDictionary<(string Platform, string AccountId), CachedAccess> cache = new();
    private readonly SemaphoreSlim refreshLock = new(1, 1);

    /// <summary>How many refreshes this instance made (tests check the cache).</summary>
    public int Refreshes { get; private set; }

    public async Task<PlatformAccess> GetAccessAsync(string platform, string? channel, CancellationToken cancellationToken)
    {
        var account = await ChooseAsync(platform, channel, cancellationToken);
        if (Cached(account) is { } hit)
        {
            return new PlatformAccess(account, hit);
        }
        // One refresh at a time in this process (the vault's row lock orders processes): a second caller finds the token
        // the first one got instead of spending a rotated refresh token again.
        await refreshLock.WaitAsync(cancellationToken);
        try
        {
            if (Cached(account) is { } fresh)
            {
                return new PlatformAccess(account, fresh);
            }
            var tokens = await vault.RefreshAsync(account, async (refreshToken, ct) =>
            {
                var answer = await oauth.RefreshAsync(account, refreshToken, ct);
                return new Refreshed<OAuthTokens>(answer, answer.RefreshToken);
            }, cancellationToken);
            Refreshes++;
            var goodUntil = time.GetUtcNow() + tokens.ExpiresIn - accounts.Value.RefreshBefore;
            cache[(account.Platform, account.AccountId)] = new CachedAccess(tokens.AccessToken, goodUntil);
            return new PlatformAccess(account, tokens.AccessToken);
        }
        finally
        {
            refreshLock.Release();
        }
    }

    public async Task<IReadOnlyList<PlatformAccount>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await vault.ListAsync(cancellationToken)).Select(a => a.Account)];

    /// <summary>The platform refused <paramref name="access"/>'s token before it expired: the next call refreshes.</summary>
    public void Forget(PlatformAccess access)
    {
        ArgumentNullException.ThrowIfNull(access);
        var key = (access.Account.Platform, access.Account.AccountId);
        if (cache.TryGetValue(key, out var cached) && cached.AccessToken == access.AccessToken)
        {
            cache.TryRemove(key, out _);
        }
    }

    private string? Cached(PlatformAccount account) =>
        cache.TryGetValue((account.Platform, account.AccountId), out var cached) && time.GetUtcNow() < cached.GoodUntil ? cached.AccessToken : null;

    /// <summary>
    /// The row's account: the Channel cell by name or id (names compare ignoring case), else the platform's default
    /// setting, else the only account of the platform.
    /// </summary>
    private async Task<PlatformAccount> ChooseAsync(string platform, string? channel, CancellationToken cancellationToken)
    {
        var all = (await vault.ListAsync(cancellationToken)).Where(a => a.Account.Platform == platform).ToList();
        var title = PlatformNames.Title(platform);
        var (setting, fallback) = defaults.Value.DefaultFor(platform);
        var wanted = !string.IsNullOrWhiteSpace(channel) ? channel.Trim() : fallback.Trim();
        StoredAccount? chosen;
        if (wanted.Length > 0)
        {
            chosen = all.FirstOrDefault(a => a.Account.AccountId == wanted)
                ?? all.FirstOrDefault(a => string.Equals(a.Account.Name, wanted, StringComparison.OrdinalIgnoreCase));
            if (chosen is null)
            {
                var from = !string.IsNullOrWhiteSpace(channel) ? "the row's Channel" : setting;
                var connected = all.Count == 0 ? "none is connected" : $"connected: {string.Join(", ", all.Select(a => a.Account.Name))}";
                throw new ReconnectRequiredException(platform, wanted, $"no {title} account named '{wanted}' ({from}) is connected ({connected})");
            }
        }
        else if (all.Count == 1)
        {
            chosen = all[0];
        }
        else if (all.Count == 0)
        {
            throw new ReconnectRequiredException(platform, "", $"no {title} account is connected");
        }
        else
        {
            throw new PermanentStageException(
                $"{all.Count} {title} accounts are connected ({string.Join(", ", all.Select(a => a.Account.Name))}) and the row names none; fill its Channel cell, or set {setting}");
        }
        if (chosen.ReconnectReason is { } reason)
        {
            throw new ReconnectRequiredException(platform, chosen.Account.Name, reason);
        }
        return chosen.Account;
    }

    public void Dispose() => refreshLock.Dispose();
}

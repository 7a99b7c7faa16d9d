namespace ViralForge.Core.Ports;

/// <summary>A connected platform account: a YouTube channel or a TikTok account, as `vf connect` stored it.</summary>
/// <param name="Platform">youtube or tiktok.</param>
/// <param name="AccountId">The platform's id of it (a channel id, a TikTok open_id).</param>
/// <param name="Name">What a person calls it (the channel title, the TikTok username): the Channel column's value.</param>
public sealed record PlatformAccount(string Platform, string AccountId, string Name);

/// <summary>An access token good for a few minutes more, for the account it belongs to.</summary>
public sealed record PlatformAccess(PlatformAccount Account, string AccessToken);

/// <summary>
/// The connected accounts and their tokens: refresh tokens kept encrypted (AES-GCM) and exchanged for access tokens on
/// use; a rotated refresh token (TikTok rotates on every refresh) is stored before the access token is handed out.
/// </summary>
public interface IPlatformTokens
{
    /// <summary>
    /// An access token for the row's channel (its Channel cell; null or empty for the deployment's default for the
    /// platform). Throws <see cref="ReconnectRequiredException"/> when no such account is connected or its grant is
    /// revoked or expired: a person must run `vf connect` again, retrying does not help.
    /// </summary>
    Task<PlatformAccess> GetAccessAsync(string platform, string? channel, CancellationToken cancellationToken);

    /// <summary>The connected accounts, for `vf connect --list` and the start-up report.</summary>
    Task<IReadOnlyList<PlatformAccount>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The platform refused <paramref name="access"/>'s token before it expired (TikTok's access_token_invalid, a 401):
    /// the next <see cref="GetAccessAsync"/> refreshes instead of handing out the cached token. Does nothing by default.
    /// </summary>
    void Forget(PlatformAccess access)
    {
    }
}

/// <summary>The platform refused the stored grant, or no account is connected: the row says "reconnect YouTube" and how.</summary>
public sealed class ReconnectRequiredException(string platform, string account, string reason)
    : Exception($"Reconnect {Title(platform)}{(account.Length == 0 ? "" : $" ({account})")}: {reason}; run ./vf connect {platform}")
{
    public string Platform { get; } = platform;

    public string Account { get; } = account;

    private static string Title(string platform) => platform switch
    {
        "youtube" => "YouTube",
        "tiktok" => "TikTok",
        _ => platform,
    };
}

/// <summary>
/// One platform's uploader (YouTube, TikTok, or the local folder). The publish stage's router calls one per platform of
/// the row, each safe to call again for the same work: the upload's session or publish id is stored in the cost ledger
/// under <see cref="PublishRequest.Work"/> before the first byte, and a stored result is returned without uploading.
/// </summary>
public interface IPlatformPublisher
{
    /// <summary>youtube or tiktok (Platforms' names in lower case).</summary>
    string Platform { get; }

    /// <summary>Uploads, reporting the share of this platform's bytes sent (0 to 1).</summary>
    Task<PublishedVideo> PublishAsync(PublishRequest request, IProgress<double>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the video down (YouTube videos.delete); a 404 counts as done. A platform with no delete API (TikTok) returns
    /// the sentence the row shows instead ("remove by hand: link"); null when it was taken down.
    /// </summary>
    Task<string?> UnpublishAsync(PublishedVideo video, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="UnpublishAsync(PublishedVideo, CancellationToken)"/> with the take-down's paid call recorded under
    /// <paramref name="work"/> (YouTube's videos.delete costs 50 quota units); a platform whose take-down costs nothing
    /// need not implement it.
    /// </summary>
    Task<string?> UnpublishAsync(PublishedVideo video, PaidWork? work, CancellationToken cancellationToken) => UnpublishAsync(video, cancellationToken);
}

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Adapters.Accounts;

/// <summary>The token vault (section Accounts): where the key that encrypts the stored refresh tokens comes from.</summary>
public sealed class AccountsOptions
{
    public const string SectionName = "Accounts";

    /// <summary>
    /// 32 random bytes in base64 (`openssl rand -base64 32`): Secret Manager's vf-accounts-key in gcp. Empty locally, where
    /// <see cref="KeyFile"/> holds the key instead. Never logged, never stored in the database.
    /// </summary>
    public string EncryptionKey { get; set; } = "";

    /// <summary>
    /// The key file used when <see cref="EncryptionKey"/> is empty, created on first use with mode 0600; relative paths
    /// are from the working folder (./vf runs in the checkout, so the file sits next to the local database). Empty in
    /// gcp, where a container's disk is not kept and only the setting may hold the key.
    /// </summary>
    public string KeyFile { get; set; } = ".vf/accounts.key";

    /// <summary>An access token is refreshed this long before its expires_in runs out, so no call starts with one about to die.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Source-generated validation of <see cref="AccountsOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class AccountsOptionsValidator : IValidateOptions<AccountsOptions>;

/// <summary>
/// Which connected account a row with an empty Channel cell posts to (section Publishing). Empty: the only account of
/// the platform that is connected; with several connected and none named here, such a row fails saying so.
/// </summary>
public sealed class PublishingAccountsOptions
{
    public const string SectionName = "Publishing";

    /// <summary>A connected channel's title or id (`vf connect --list`).</summary>
    public string DefaultYouTubeChannel { get; set; } = "";

    /// <summary>A connected TikTok account's username or open_id (`vf connect --list`).</summary>
    public string DefaultTikTokAccount { get; set; } = "";

    /// <summary>
    /// How often a row that published to one platform and waits for the other's account to be connected again
    /// (`vf connect`) checks whether it was: each check reads the stored account, and calls the platform only once it was.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan ReconnectRetry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The setting that names the default account of <paramref name="platform"/>, and its value.</summary>
    public (string Setting, string Value) DefaultFor(string platform) => platform switch
    {
        PlatformNames.YouTube => ("Publishing:DefaultYouTubeChannel", DefaultYouTubeChannel),
        PlatformNames.TikTok => ("Publishing:DefaultTikTokAccount", DefaultTikTokAccount),
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, "Unknown platform."),
    };
}

/// <summary>Source-generated validation of <see cref="PublishingAccountsOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class PublishingAccountsOptionsValidator : IValidateOptions<PublishingAccountsOptions>;

/// <summary>The platforms' names as the accounts table, the ports and `vf connect` spell them.</summary>
public static class PlatformNames
{
    public const string YouTube = "youtube";
    public const string TikTok = "tiktok";

    public static string Title(string platform) => platform switch
    {
        YouTube => "YouTube",
        TikTok => "TikTok",
        _ => platform,
    };
}

/// <summary>
/// The Google OAuth client that `vf connect youtube` signs in with and whose refresh tokens are exchanged on use (section
/// YouTube; a "Desktop app" OAuth client in the Google Cloud console). The URLs are settings so tests point them at WireMock.
/// </summary>
public sealed class YouTubeAccountOptions
{
    public const string SectionName = "YouTube";

    public string ClientId { get; set; } = "";

    /// <summary>A desktop client's secret is not secret in Google's model, but it is kept like one (Secret Manager in gcp).</summary>
    public string ClientSecret { get; set; } = "";

    [Required(ErrorMessage = "YouTube:AuthorizeUrl is required.")]
    public Uri AuthorizeUrl { get; set; } = new("https://accounts.google.com/o/oauth2/v2/auth");

    [Required(ErrorMessage = "YouTube:TokenUrl is required.")]
    public Uri TokenUrl { get; set; } = new("https://oauth2.googleapis.com/token");

    /// <summary>The Data API, for channels.list?mine=true when connecting: the same setting the YouTube publisher reads.</summary>
    [Required(ErrorMessage = "YouTube:ApiBaseUrl is required.")]
    public Uri ApiBaseUrl { get; set; } = new("https://www.googleapis.com/youtube/v3");

    /// <summary>
    /// Asked at consent, space-separated: upload, youtube.force-ssl for videos.delete and thumbnails.set, and the analytics
    /// read scopes, so one grant serves the publisher and the analytics reader (API_PROVIDERS.md 6b-6d).
    /// </summary>
    [Required(ErrorMessage = "YouTube:Scopes is required.")]
    public string Scopes { get; set; } =
        "https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.force-ssl https://www.googleapis.com/auth/yt-analytics.readonly";

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Source-generated validation of <see cref="YouTubeAccountOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class YouTubeAccountOptionsValidator : IValidateOptions<YouTubeAccountOptions>;

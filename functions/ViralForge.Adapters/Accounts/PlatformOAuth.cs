using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.TikTok;
using ViralForge.Adapters.Voices;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Accounts;

/// <summary>What a token endpoint answered: an access token for expires_in seconds, and a refresh token when it gave one.</summary>
/// <param name="OpenId">TikTok's id of the user (its token responses carry it); null for Google.</param>
public sealed record OAuthTokens(string AccessToken, TimeSpan ExpiresIn, string? RefreshToken, string? OpenId);

/// <summary>
/// The OAuth calls of both platforms, for `vf connect` (authorize URL, code exchange, whose account it is) and for
/// <see cref="PlatformTokens"/> (refresh). Google: accounts.google.com and oauth2.googleapis.com/token; TikTok: Login Kit's
/// authorize page and POST /v2/oauth/token/. Client secrets, codes and tokens are never put in an exception message.
/// </summary>
public sealed class PlatformOAuth(IHttpClientFactory clients, IOptions<YouTubeAccountOptions> youtube, IOptions<TikTokOptions> tiktok)
{
    public const string HttpClientName = "platform-oauth";

    /// <summary>A new PKCE code verifier: 64 characters of base64url (RFC 7636 allows 43 to 128 of [A-Za-z0-9-._~]).</summary>
    public static string NewVerifier() => Base64Url(RandomNumberGenerator.GetBytes(48));

    /// <summary>A new state value, checked on the redirect so a request this vf did not start is refused.</summary>
    public static string NewState() => Base64Url(RandomNumberGenerator.GetBytes(24));

    /// <summary>
    /// The S256 code challenge as each platform reads it: Google per RFC 7636, base64url of SHA-256; TikTok's Login Kit for
    /// Desktop documents the hex of SHA-256 instead (developers.tiktok.com/doc/login-kit-desktop), and refuses base64url
    /// with "Code verifier or code challenge is invalid".
    /// </summary>
    public static string Challenge(string platform, string verifier)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(verifier));
        return platform == PlatformNames.TikTok ? Convert.ToHexStringLower(hash) : Base64Url(hash);
    }

    /// <summary>Whether the client id and secret of <paramref name="platform"/> are set; the sentence naming what to set otherwise.</summary>
    public string? MissingClient(string platform) => platform switch
    {
        PlatformNames.YouTube when youtube.Value.ClientId.Length == 0 || youtube.Value.ClientSecret.Length == 0 =>
            "YouTube:ClientId and YouTube:ClientSecret must be set (YouTube__ClientId, YouTube__ClientSecret): create an OAuth client of type Desktop app in the Google Cloud console (APIs & Services, Credentials) and copy both",
        PlatformNames.TikTok when tiktok.Value.ClientKey.Length == 0 || tiktok.Value.ClientSecret.Length == 0 =>
            "TikTok:ClientKey and TikTok:ClientSecret must be set (TikTok__ClientKey, TikTok__ClientSecret): add Login Kit and Content Posting to the app on developers.tiktok.com, with the redirect URI http://127.0.0.1:*/callback/, and copy both",
        _ => null,
    };

    /// <summary>The page the person opens to grant access, with state and the PKCE challenge.</summary>
    public Uri AuthorizeUrl(string platform, Uri redirect, string state, string challenge)
    {
        ArgumentNullException.ThrowIfNull(redirect);
        if (platform == PlatformNames.YouTube)
        {
            var o = youtube.Value;
            return WithQuery(o.AuthorizeUrl, [
                ("client_id", o.ClientId), ("redirect_uri", redirect.ToString()), ("response_type", "code"), ("scope", o.Scopes),
                ("state", state), ("code_challenge", challenge), ("code_challenge_method", "S256"),
                // offline gives a refresh token; consent makes Google give one again to an account that granted before.
                ("access_type", "offline"), ("prompt", "consent"), ("include_granted_scopes", "true"),
            ]);
        }
        var t = tiktok.Value;
        return WithQuery(t.AuthorizeUrl, [
            ("client_key", t.ClientKey), ("scope", t.Scopes), ("response_type", "code"), ("redirect_uri", redirect.ToString()),
            ("state", state), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ]);
    }

    /// <summary>Exchanges the redirect's code (and the PKCE verifier) for tokens; a refusal is a <see cref="PermanentStageException"/> naming it.</summary>
    public async Task<OAuthTokens> ExchangeCodeAsync(string platform, string code, string verifier, Uri redirect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redirect);
        var (url, form) = platform == PlatformNames.YouTube
            ? (youtube.Value.TokenUrl, new Dictionary<string, string>
            {
                ["code"] = code, ["client_id"] = youtube.Value.ClientId, ["client_secret"] = youtube.Value.ClientSecret,
                ["redirect_uri"] = redirect.ToString(), ["grant_type"] = "authorization_code", ["code_verifier"] = verifier,
            })
            : (TikTokTokenUrl(), new Dictionary<string, string>
            {
                ["client_key"] = tiktok.Value.ClientKey, ["client_secret"] = tiktok.Value.ClientSecret, ["code"] = code,
                ["grant_type"] = "authorization_code", ["redirect_uri"] = redirect.ToString(), ["code_verifier"] = verifier,
            });
        var (status, body) = await PostFormAsync(platform, url, form, cancellationToken);
        var error = ErrorOf(body);
        if (error is not null || status != HttpStatusCode.OK)
        {
            throw new PermanentStageException(
                $"{PlatformNames.Title(platform)} refused the sign-in code ({(int)status} {error?.Code ?? "error"}{(error?.Description is { Length: > 0 } d ? ": " + d : "")}); run vf connect {platform} again, and check the client id and secret if it repeats");
        }
        return ReadTokens(platform, body);
    }

    /// <summary>
    /// Exchanges a refresh token for an access token. A refused grant (Google's invalid_grant, TikTok's invalid refresh
    /// token) is a <see cref="ReconnectRequiredException"/> for <paramref name="account"/>; a refused client a
    /// <see cref="PermanentStageException"/> naming the settings; 429 and 5xx transient.
    /// </summary>
    public async Task<OAuthTokens> RefreshAsync(PlatformAccount account, string refreshToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var platform = account.Platform;
        var (url, form) = platform == PlatformNames.YouTube
            ? (youtube.Value.TokenUrl, new Dictionary<string, string>
            {
                ["client_id"] = youtube.Value.ClientId, ["client_secret"] = youtube.Value.ClientSecret,
                ["refresh_token"] = refreshToken, ["grant_type"] = "refresh_token",
            })
            : (TikTokTokenUrl(), new Dictionary<string, string>
            {
                ["client_key"] = tiktok.Value.ClientKey, ["client_secret"] = tiktok.Value.ClientSecret,
                ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
            });
        var (status, body) = await PostFormAsync(platform, url, form, cancellationToken);
        var error = ErrorOf(body);
        if (error is null && status == HttpStatusCode.OK)
        {
            return ReadTokens(platform, body);
        }
        var code = error?.Code ?? "error";
        var said = $"{(int)status} {code}{(error?.Description is { Length: > 0 } d ? ": " + d : "")}";
        if (code == "invalid_grant")
        {
            // Revoked, expired (7 days for a Google app in Testing; 180 days for TikTok), or a rotated token spent twice.
            throw new ReconnectRequiredException(platform, account.Name, $"{PlatformNames.Title(platform)} refused the stored grant ({said})");
        }
        if (code is "invalid_client" or "unauthorized_client")
        {
            var settings = platform == PlatformNames.YouTube ? "YouTube:ClientId and YouTube:ClientSecret" : "TikTok:ClientKey and TikTok:ClientSecret";
            throw new PermanentStageException($"{PlatformNames.Title(platform)} refused the OAuth client ({said}); check {settings}");
        }
        if ((int)status == 429 || (int)status >= 500)
        {
            throw new HttpRequestException($"{PlatformNames.Title(platform)}'s token endpoint answered {said}; the queue tries again later", null, status);
        }
        throw new PermanentStageException($"{PlatformNames.Title(platform)}'s token endpoint refused the refresh ({said})");
    }

    /// <summary>The account the tokens belong to: the channel of YouTube's channels.list?mine=true, TikTok's creator_info username.</summary>
    public async Task<PlatformAccount> ReadAccountAsync(string platform, OAuthTokens tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var http = Client();
        if (platform == PlatformNames.YouTube)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(youtube.Value.ApiBaseUrl.AbsoluteUri.TrimEnd('/') + "/channels?part=snippet&mine=true"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new PermanentStageException($"YouTube channels.list answered {(int)response.StatusCode}; check that the YouTube Data API v3 is enabled for the OAuth client's project");
            }
            using var document = Parse(platform, text);
            if (!document.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
            {
                throw new PermanentStageException("The Google account you signed in with has no YouTube channel; create one on youtube.com, or sign in with the channel's account");
            }
            var channel = items[0];
            var id = Str(channel, "id") ?? throw new InvalidDataException("YouTube channels.list answered a channel without an id.");
            var title = channel.TryGetProperty("snippet", out var snippet) ? Str(snippet, "title") : null;
            return new PlatformAccount(platform, id, title ?? id);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(tiktok.Value.BaseUrl, "v2/post/publish/creator_info/query/")))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
            request.Content = new ByteArrayContent([]) { Headers = { ContentType = MediaTypeHeaderValue.Parse("application/json; charset=UTF-8") } };
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            using var document = Parse(platform, text);
            var code = document.RootElement.TryGetProperty("error", out var e) ? Str(e, "code") : null;
            if (!response.IsSuccessStatusCode || code is not (null or "ok"))
            {
                throw new PermanentStageException($"TikTok creator_info answered {(int)response.StatusCode} {code ?? "error"}; the app needs the video.publish scope approved (Content Posting API on developers.tiktok.com)");
            }
            var username = document.RootElement.TryGetProperty("data", out var data) ? Str(data, "creator_username") : null;
            var id = tokens.OpenId ?? throw new InvalidDataException("TikTok's token answer had no open_id.");
            return new PlatformAccount(platform, id, username ?? id);
        }
    }

    private Uri TikTokTokenUrl() => new(tiktok.Value.BaseUrl, "v2/oauth/token/");

    private HttpClient Client()
    {
        var http = clients.CreateClient(HttpClientName);
        http.Timeout = youtube.Value.Timeout;
        return http;
    }

    private async Task<(HttpStatusCode Status, string Body)> PostFormAsync(string platform, Uri url, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        // A token call is safe to repeat on 429 or 5xx: a refused or failed exchange spends nothing.
        using var response = await VoiceHttp.SendAsync(Client(), () => new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(form),
        }, maxRetries: 2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), $"{PlatformNames.Title(platform)}'s token endpoint", cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static OAuthTokens ReadTokens(string platform, string body)
    {
        using var document = Parse(platform, body);
        var root = document.RootElement;
        // TikTok's v2 token answer is flat; an older shape nests it in data.
        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && !root.TryGetProperty("access_token", out _))
        {
            root = data;
        }
        var access = Str(root, "access_token") ?? throw new InvalidDataException($"{PlatformNames.Title(platform)}'s token endpoint answered without an access_token.");
        var seconds = root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : 3600;
        return new OAuthTokens(access, TimeSpan.FromSeconds(seconds), Str(root, "refresh_token"), Str(root, "open_id"));
    }

    private sealed record OAuthError(string Code, string? Description);

    /// <summary>The error of a token answer: {"error":"invalid_grant","error_description":…} (both platforms), or null.</summary>
    private static OAuthError? ErrorOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error))
            {
                return null;
            }
            if (error.ValueKind == JsonValueKind.String && error.GetString() is { Length: > 0 } code)
            {
                return new OAuthError(code, Str(root, "error_description"));
            }
            // TikTok's API envelope {"error":{"code":"ok"}} on an answer that is not an OAuth error.
            return error.ValueKind == JsonValueKind.Object && Str(error, "code") is { } c && c != "ok" ? new OAuthError(c, Str(error, "message")) : null;
        }
        catch (JsonException)
        {
            return new OAuthError("not_json", null);
        }
    }

    private static JsonDocument Parse(string platform, string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{PlatformNames.Title(platform)} answered JSON that could not be read: {e.Message}", e);
        }
    }

    internal static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Uri WithQuery(Uri page, IEnumerable<(string Name, string Value)> parameters)
    {
        var query = string.Join("&", parameters.Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value)}"));
        return new Uri(page + (page.Query.Length > 0 ? "&" : "?") + query);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace ViralForge.Bot.Teams;

/// <summary>A Bot Connector or token endpoint call that failed: what was asked, what came back, and Microsoft's own words.</summary>
public sealed class TeamsApiException(string message, HttpStatusCode? status = null, string? code = null, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;

    /// <summary>The error code Microsoft gave (Connector "error.code" or the token endpoint's "error"), when it gave one.</summary>
    public string? Code { get; } = code;
}

/// <summary>
/// The bot's own token for the Connector (API_REFERENCE 7.3): client credentials against the Microsoft identity
/// platform, kept until five minutes before it expires (or half its lifetime, when that is shorter), one fetch at a time.
/// </summary>
public sealed class BotFrameworkTokenSource(IHttpClientFactory clients, IOptions<TeamsOptions> options, TimeProvider time, ILogger<BotFrameworkTokenSource> log)
{
    /// <summary>The HttpClient that asks the token endpoint (a POST without side effects, so retried on 429, 5xx and timeouts).</summary>
    public const string HttpClientName = "teams-token";

    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile CachedToken? cached;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (cached is { } c && time.GetUtcNow() < c.RefreshAt)
        {
            return c.Token;
        }
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (cached is { } again && time.GetUtcNow() < again.RefreshAt)
            {
                return again.Token;
            }
            var fresh = await FetchAsync(cancellationToken);
            cached = fresh;
            return fresh.Token;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var endpoint = o.EffectiveTokenEndpoint;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = o.AppId ?? "",
            ["client_secret"] = o.AppPassword ?? "",
            ["scope"] = "https://api.botframework.com/.default",
        });
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(HttpClientName).PostAsync(endpoint, form, cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            throw new TimeoutException($"The token endpoint {endpoint} did not answer within Teams:AttemptTimeout ({o.AttemptTimeout}).", e);
        }
        catch (HttpRequestException e)
        {
            throw new TeamsApiException($"Could not reach the token endpoint {endpoint}: {e.Message}", inner: e);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            TokenResponse? token;
            try
            {
                token = JsonSerializer.Deserialize(body, TeamsJson.Default.TokenResponse);
            }
            catch (JsonException e)
            {
                throw new TeamsApiException($"The token endpoint {endpoint} answered {(int)response.StatusCode} with a body that is not JSON.", response.StatusCode, inner: e);
            }
            if (!response.IsSuccessStatusCode)
            {
                // AADSTS7000215 (bad secret), AADSTS700016 (unknown app) and the like: say which setting to look at.
                throw new TeamsApiException(
                    $"The token endpoint {endpoint} refused the bot's credentials ({(int)response.StatusCode} {token?.Error}): {token?.ErrorDescription ?? "no description"}. Check Teams:AppId, Teams:AppPassword and Teams:TenantId.",
                    response.StatusCode, token?.Error);
            }
            if (string.IsNullOrEmpty(token?.AccessToken) || token.ExpiresIn is not > 0)
            {
                throw new TeamsApiException($"The token endpoint {endpoint} answered {(int)response.StatusCode} without access_token and expires_in.", response.StatusCode);
            }
            var lifetime = TimeSpan.FromSeconds(token.ExpiresIn.Value);
            var margin = lifetime / 2 < TimeSpan.FromMinutes(5) ? lifetime / 2 : TimeSpan.FromMinutes(5);
            log.TeamsTokenFetched(lifetime);
            return new CachedToken(token.AccessToken, time.GetUtcNow() + lifetime - margin);
        }
    }

    private sealed record CachedToken(string Token, DateTimeOffset RefreshAt);
}

/// <summary>Adds the bot's token to requests for the configured Teams:ServiceUrl, and to nothing else.</summary>
public sealed class BotConnectorAuthHandler(BotFrameworkTokenSource tokens, IOptions<TeamsOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is null || !BotConnectorClient.IsUnder(request.RequestUri, options.Value.ServiceUrl))
        {
            throw new InvalidOperationException($"Refusing to send the bot's token to {request.RequestUri}: only Teams:ServiceUrl ({options.Value.ServiceUrl}) gets it.");
        }
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// The Bot Connector REST calls the review bot makes (API_REFERENCE 7.4): send an activity to a conversation, reply
/// under one, and replace one. Every call goes to Teams:ServiceUrl only.
/// </summary>
/// <remarks>
/// Retries differ by method. PUT replaces an activity with the same content, so it is retried on 429 (after
/// Retry-After), 412, 502, 504 and attempt timeouts. POST creates a message: a 502, 504 or timeout may come after the
/// Connector posted it, and a retry would post a second card (whose buttons the ledger would never update), so POST is
/// retried only on 429 and 412, which Teams answers before doing anything; the caller (the review task) sees the
/// other failures and the queue decides.
/// </remarks>
public sealed class BotConnectorClient(IHttpClientFactory clients, IOptions<TeamsOptions> options, ILogger<BotConnectorClient> log)
{
    /// <summary>The HttpClient for POST (retried only where Teams did nothing).</summary>
    public const string SendClientName = "teams-connector-send";

    /// <summary>The HttpClient for PUT (idempotent, retried on throttling, gateway errors and timeouts).</summary>
    public const string UpdateClientName = "teams-connector-update";

    /// <summary>Posts an activity to the conversation and returns its id.</summary>
    public Task<string> SendAsync(string conversationId, OutboundActivity activity, CancellationToken cancellationToken) =>
        PostAsync($"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities", activity, cancellationToken);

    /// <summary>Posts an activity in reply to (under) another and returns its id.</summary>
    public Task<string> ReplyAsync(string conversationId, string activityId, OutboundActivity activity, CancellationToken cancellationToken) =>
        PostAsync($"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{Uri.EscapeDataString(activityId)}", activity, cancellationToken);

    /// <summary>Replaces an activity (the update everyone sees).</summary>
    public async Task UpdateAsync(string conversationId, string activityId, OutboundActivity activity, CancellationToken cancellationToken)
    {
        var path = $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{Uri.EscapeDataString(activityId)}";
        using var response = await CallAsync(UpdateClientName, HttpMethod.Put, path, activity with { Id = activityId }, cancellationToken);
        await EnsureSuccessAsync(response, HttpMethod.Put, path, cancellationToken);
        log.TeamsActivityUpdated(activityId);
    }

    /// <summary>True when <paramref name="url"/> is on the same scheme, host and port as <paramref name="serviceUrl"/> and under its path.</summary>
    public static bool IsUnder(Uri url, Uri? serviceUrl)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (serviceUrl is null)
        {
            return false;
        }
        var root = WithSlash(serviceUrl);
        return Uri.Compare(url, root, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0
            && url.AbsolutePath.StartsWith(root.AbsolutePath, StringComparison.Ordinal);
    }

    /// <summary>The service URL with a trailing slash, so relative paths go under it.</summary>
    public static Uri WithSlash(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    private async Task<string> PostAsync(string path, OutboundActivity activity, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(SendClientName, HttpMethod.Post, path, activity, cancellationToken);
        var body = await EnsureSuccessAsync(response, HttpMethod.Post, path, cancellationToken);
        var id = Read(body, TeamsJson.Default.ResourceResponse, response, HttpMethod.Post, path)?.Id;
        if (string.IsNullOrEmpty(id))
        {
            throw new TeamsApiException($"Teams answered POST {path} with {(int)response.StatusCode} but no activity id.", response.StatusCode);
        }
        log.TeamsActivitySent(id);
        return id;
    }

    private async Task<HttpResponseMessage> CallAsync(string client, HttpMethod method, string path, OutboundActivity activity, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var serviceUrl = o.ServiceUrl ?? throw new InvalidOperationException("Teams is not configured: Teams:ServiceUrl is not set.");
        var json = JsonSerializer.SerializeToUtf8Bytes(activity, TeamsJson.Default.OutboundActivity);
        using var request = new HttpRequestMessage(method, new Uri(WithSlash(serviceUrl), path)) { Content = new ByteArrayContent(json) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        try
        {
            return await clients.CreateClient(client).SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            throw new TimeoutException($"Teams did not answer {method} {path} within Teams:AttemptTimeout ({o.AttemptTimeout}).", e);
        }
        catch (HttpRequestException e)
        {
            throw new TeamsApiException($"Could not reach Teams for {method} {path}: {e.Message}", inner: e);
        }
    }

    private static async Task<string> EnsureSuccessAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return body;
        }
        ConnectorError? error = null;
        try
        {
            error = JsonSerializer.Deserialize(body, TeamsJson.Default.ConnectorErrorBody)?.Error;
        }
        catch (JsonException)
        {
            // Not the Connector's error shape (a gateway's HTML page, say); the status says enough.
        }
        var what = (int)response.StatusCode switch
        {
            401 or 403 => " (is the bot's app registration allowed in this conversation? check Teams:AppId and Teams:AppPassword)",
            404 => " (is Teams:ConversationId right, and the bot installed there?)",
            429 => " (Teams is throttling the bot)",
            _ => "",
        };
        throw new TeamsApiException(
            $"Teams answered {method} {path} with {(int)response.StatusCode}{what}: {error?.Code ?? "no code"}: {error?.Message ?? Shorten(body)}",
            response.StatusCode, error?.Code);
    }

    private static T? Read<T>(string body, JsonTypeInfo<T> type, HttpResponseMessage response, HttpMethod method, string path)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException e)
        {
            throw new TeamsApiException($"Teams answered {method} {path} with {(int)response.StatusCode} and a body that is not JSON: {Shorten(body)}", response.StatusCode, inner: e);
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}

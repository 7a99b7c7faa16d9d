using System.Net.Http.Headers;
using Google.Apis.Auth.OAuth2;

namespace ViralForge.Adapters.Google;

/// <summary>OAuth access tokens for Google APIs. Production uses Application Default Credentials; tests use a fixed token.</summary>
public interface IGoogleAccessTokenSource
{
    Task<string> GetAccessTokenAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Application Default Credentials (the Cloud Run service account, or GOOGLE_APPLICATION_CREDENTIALS locally), scoped
/// to cloud-platform, which covers Cloud Tasks, Cloud Storage, Cloud Run and IAM; Sheets is added for the sheet API.
/// Google.Apis.Auth caches the token and refreshes it before it expires.
/// </summary>
public sealed class ApplicationDefaultTokenSource : IGoogleAccessTokenSource
{
    public static readonly string[] Scopes =
    [
        "https://www.googleapis.com/auth/cloud-platform",
        "https://www.googleapis.com/auth/spreadsheets",
    ];

    private readonly Lazy<Task<ITokenAccess>> credential = new(async () =>
        (await GoogleCredential.GetApplicationDefaultAsync().ConfigureAwait(false)).CreateScoped(Scopes));

    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var access = await credential.Value.ConfigureAwait(false);
        return await access.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A token that never changes: for tests against simulated Google APIs.</summary>
public sealed class FixedTokenSource(string token) : IGoogleAccessTokenSource
{
    public Task<string> GetAccessTokenAsync(CancellationToken cancellationToken) => Task.FromResult(token);
}

/// <summary>Adds "Authorization: Bearer &lt;access token&gt;" to every request of a Google API client.</summary>
public sealed class GoogleAuthHandler(IGoogleAccessTokenSource tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false));
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A Google API answered with an error; <see cref="StatusCode"/> and the body's message are kept for the row's Error cell and the log.</summary>
public sealed class GoogleApiException(string api, int statusCode, string message, string? status = null)
    : Exception($"{api} answered {statusCode}{(status is null ? "" : $" {status}")}: {message}")
{
    public string Api { get; } = api;

    public int StatusCode { get; } = statusCode;

    /// <summary>The error's status word (e.g. RESOURCE_EXHAUSTED, ALREADY_EXISTS) when the body had one.</summary>
    public string? Status { get; } = status;
}

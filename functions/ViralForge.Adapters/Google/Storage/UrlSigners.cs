using System.Net.Http.Headers;
using System.Text.Json;
using Google.Apis.Auth.OAuth2;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace ViralForge.Adapters.Google.Storage;

/// <summary>Signs bytes as a service account (RSA-SHA256, PKCS#1 v1.5), for V4 signed URLs.</summary>
public interface IUrlSigner
{
    /// <summary>The account whose key signs; the signed URL's credential names it.</summary>
    string ServiceAccountEmail { get; }

    /// <summary>The raw signature of <paramref name="data"/>.</summary>
    Task<byte[]> SignAsync(byte[] data, CancellationToken cancellationToken);
}

/// <summary>Signs with a service account's private key, in process: no network, but a key file to keep safe.</summary>
public sealed class ServiceAccountKeySigner(ServiceAccountCredential credential) : IUrlSigner
{
    /// <summary>From a service account JSON key (the kind `gcloud iam service-accounts keys create` writes).</summary>
    public static ServiceAccountKeySigner FromKeyFile(string path) => new(CredentialFactory.FromFile<ServiceAccountCredential>(path));

    public string ServiceAccountEmail => credential.Id;

    public Task<byte[]> SignAsync(byte[] data, CancellationToken cancellationToken) =>
        Task.FromResult(Convert.FromBase64String(credential.CreateSignature(data)));
}

/// <summary>
/// Signs through the IAM Credentials API (signBlob), for Cloud Run where there is no key file: the runtime's token
/// asks Google to sign with the account's Google-managed key.
/// </summary>
public sealed class IamSignBlobSigner(IHttpClientFactory clients, IOptions<CloudStorageOptions> options) : IUrlSigner
{
    /// <summary>The named HttpClient (auth and retries: signing the same bytes twice is harmless).</summary>
    public const string HttpClientName = "google-iam-credentials";

    private const string Api = "IAM Credentials";

    public string ServiceAccountEmail => options.Value.SigningServiceAccountEmail
        ?? throw new InvalidOperationException("Google:Storage:SigningServiceAccountEmail is not set; it names the account IAM signBlob signs as.");

    public async Task<byte[]> SignAsync(byte[] data, CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new SignBlobRequest(Convert.ToBase64String(data)), StorageJson.Default.SignBlobRequest));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        // "-" for the project: the account's email alone identifies it.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/projects/-/serviceAccounts/{Uri.EscapeDataString(ServiceAccountEmail)}:signBlob") { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new TimeoutException($"{Api} signBlob did not answer within Google:Storage:AttemptTimeout ({o.AttemptTimeout}).", ex);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await GoogleResponses.ErrorAsync(Api, response, cancellationToken);
            }
            var answer = await GoogleResponses.ReadJsonAsync(Api, response, StorageJson.Default.SignBlobResponse, cancellationToken);
            try
            {
                return Convert.FromBase64String(answer.SignedBlob ?? throw new FormatException("no signedBlob"));
            }
            catch (FormatException ex)
            {
                throw new GoogleApiException(Api, (int)response.StatusCode, $"answered without a base64 signedBlob ({ex.Message})");
            }
        }
    }
}

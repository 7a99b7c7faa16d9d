using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using ViralForge.Core.Webhooks;

namespace ViralForge.Adapters.Webhooks;

/// <summary>
/// POSTs a signed delivery with the Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature). The
/// client's handler connects only through <see cref="WebhookAddressGuard.ConnectAsync"/>, follows no redirect and uses no
/// proxy; its resilience pipeline times an attempt out and never retries (the vf-webhooks queue does, with its backoff).
/// </summary>
public sealed class HttpWebhookSender(HttpClient http, IOptions<WebhookOptions> options) : IWebhookSender
{
    public const string UserAgent = "ViralForge-Webhooks/1.0";

    public async Task<WebhookResponse> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url)
        {
            Content = new StringContent(request.Body, Encoding.UTF8, "application/json"),
        };
        message.Headers.TryAddWithoutValidation(WebhookSigner.IdHeader, request.Id);
        message.Headers.TryAddWithoutValidation(WebhookSigner.TimestampHeader, request.Timestamp.ToString(CultureInfo.InvariantCulture));
        message.Headers.TryAddWithoutValidation(WebhookSigner.SignatureHeader, request.Signature);
        message.Headers.UserAgent.Add(ProductInfoHeaderValue.Parse(UserAgent));
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return new WebhookResponse((int)response.StatusCode, null);
        }
        catch (HttpRequestException ex) when (Refusal(ex) is { } refused)
        {
            return new WebhookResponse(null, $"refused by the SSRF guard: {refused.Message}");
        }
        catch (HttpRequestException ex)
        {
            return new WebhookResponse(null, $"could not reach the receiver: {ex.Message}");
        }
        catch (Exception ex) when (ex is TimeoutRejectedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new WebhookResponse(null, string.Create(CultureInfo.InvariantCulture, $"no answer within {options.Value.Timeout.TotalSeconds:0.###} s"));
        }
    }

    private static WebhookAddressRefusedException? Refusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is WebhookAddressRefusedException refused)
            {
                return refused;
            }
        }
        return null;
    }
}

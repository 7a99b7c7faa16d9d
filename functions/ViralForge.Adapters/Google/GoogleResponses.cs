using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ViralForge.Adapters.Google;

/// <summary>
/// Reads Google's answers the same way in every REST client: a JSON body through its source-generated type, and a
/// failed answer as a <see cref="GoogleApiException"/> built from Google's error envelope when the body has one.
/// </summary>
internal static class GoogleResponses
{
    public static async Task<T> ReadJsonAsync<T>(string api, HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(text, type)
                ?? throw new GoogleApiException(api, (int)response.StatusCode, "answered with an empty JSON document");
        }
        catch (JsonException ex)
        {
            throw new GoogleApiException(api, (int)response.StatusCode, $"answered with malformed JSON ({ex.Message}): {Snippet(text)}");
        }
    }

    /// <summary>The typed error for a failed answer, from {"error":{"code","message","status"}} when the body has it.</summary>
    public static async Task<GoogleApiException> ErrorAsync(string api, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (JsonSerializer.Deserialize(text, GoogleJson.Default.GoogleErrorEnvelope)?.Error is { } error)
            {
                return new GoogleApiException(api, (int)response.StatusCode, error.Message ?? "(no message)", error.Status);
            }
        }
        catch (JsonException)
        {
            // Not Google's envelope (a proxy's HTML page, say): keep the text.
        }
        return new GoogleApiException(api, (int)response.StatusCode, Snippet(text));
    }

    /// <summary>A body on one line and at most 300 characters, for an error message.</summary>
    public static string Snippet(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length == 0 ? "(empty body)" : flat.Length <= 300 ? flat : flat[..300] + "...";
    }
}

/// <summary>Google's error envelope: {"error":{"code":404,"message":"...","status":"NOT_FOUND"}}.</summary>
internal sealed record GoogleErrorEnvelope(GoogleErrorDetail? Error);

internal sealed record GoogleErrorDetail(int Code, string? Message, string? Status);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(GoogleErrorEnvelope))]
internal sealed partial class GoogleJson : JsonSerializerContext;

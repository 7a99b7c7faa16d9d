using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Voices;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.ElevenLabs;

/// <summary>
/// ElevenLabs voices with word timings: POST /v1/text-to-speech/{voice_id}/with-timestamps answers base64 audio and a
/// per-character alignment of the input text, which becomes the caption words' timings (<see cref="CharacterAlignment"/>).
/// </summary>
/// <remarks>
/// The row's voice (elevenlabs:Rachel or elevenlabs:&lt;voice id&gt;) is looked up in the account's voices list, kept
/// for VoicesCacheFor: a voice that is not there fails the row naming the voices that are. A text over the model's
/// per-request limit is spoken in parts cut at sentence ends, each part paid for once (<see cref="PaidVoiceParts"/>) and
/// the audio joined with its timings offset. Calls go through one <see cref="VoiceLimiter"/> for the process.
/// </remarks>
public sealed class ElevenLabsVoiceProvider(
    IHttpClientFactory clients,
    IOptions<ElevenLabsOptions> options,
    NarrationAudio audio,
    IBlobStore blobs,
    TimeProvider time,
    ICostLedger? ledger = null,
    ILogger<ElevenLabsVoiceProvider>? log = null) : IVoiceProvider, IDisposable
{
    /// <summary>The named HttpClient of this provider.</summary>
    public const string HttpClientName = "elevenlabs";

    public const string Provider = "elevenlabs";

    private const string Vendor = "ElevenLabs";

    private readonly VoiceLimiter limiter = new(options.Value.MaxConcurrentRequests, options.Value.RequestsPerMinute);
    private readonly PaidVoiceParts paid = new(Provider, blobs, ledger, log);
    private readonly SemaphoreSlim voicesLock = new(1, 1);
    private IReadOnlyList<ElevenLabsVoice>? voices;
    private DateTimeOffset voicesReadAt;

    /// <summary>How many times the voices list was read (tests check the cache).</summary>
    public int VoicesListReads { get; private set; }

    public async Task<Narration> SynthesizeAsync(VoiceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            throw new PermanentStageException("There is nothing to speak: the narration text is empty.");
        }
        var o = options.Value;
        var choice = VoiceChoice.Parse(request.Voice);
        var asked = choice is { Provider: Provider } ? choice.Name : o.DefaultVoice;
        var voice = await ResolveVoiceAsync(asked, cancellationToken);
        var notes = new List<string>();
        if (request.Gender is { } gender && !HasGender(voice, gender))
        {
            // A reviewer asked for a female or male voice: the account's first voice labelled so speaks instead.
            var wish = gender.ToString().ToLowerInvariant();
            var other = (await VoicesAsync(refresh: false, cancellationToken)).FirstOrDefault(v => HasGender(v, gender));
            notes.Add(other is null
                ? $"ElevenLabs speaks with the voice {voice.Name ?? voice.VoiceId} as the row asks: the account has no voice labelled {wish} for the reviewer's wish."
                : $"ElevenLabs speaks with the voice {other.Name ?? other.VoiceId} instead of {voice.Name ?? voice.VoiceId}: the reviewer asked for a {wish} voice.");
            voice = other ?? voice;
        }
        var parts = NarrationText.Split(request.Text, o.CharacterLimit);
        var extension = "." + o.OutputFormat[..o.OutputFormat.IndexOf('_', StringComparison.Ordinal)];
        var output = Path.GetFullPath(request.OutputPath);
        var partPaths = new List<string>();
        var partWords = new List<IReadOnlyList<WordTiming>>();
        for (var i = 0; i < parts.Count; i++)
        {
            var path = $"{output}.part-{i + 1}{extension}";
            var (text, previous, next) = (parts[i], i > 0 ? parts[i - 1] : null, i < parts.Count - 1 ? parts[i + 1] : null);
            var words = await paid.GetOrBuyAsync(
                request.Work?.For($"tts-part-{i + 1}"),
                path,
                ct => limiter.RunAsync(c => SpeakAsync(voice, text, previous, next, request.SpeedFactor, path, c), ct),
                cancellationToken);
            partPaths.Add(path);
            partWords.Add(words ?? []);
        }
        var lengths = await audio.JoinAsync(partPaths, output, cancellationToken);
        var all = new List<WordTiming>();
        var offset = 0.0;
        for (var i = 0; i < parts.Count; i++)
        {
            all.AddRange(NarrationText.Shift(partWords[i], offset));
            offset += lengths[i];
        }
        foreach (var path in partPaths)
        {
            File.Delete(path);
        }
        return new Narration(output, offset, all, notes, $"{Provider}:{voice.Name ?? voice.VoiceId}", RetakesAreFree: false);
    }

    /// <summary>Whether the voice library labels <paramref name="voice"/> with <paramref name="gender"/> (labels.gender: female, male).</summary>
    private static bool HasGender(ElevenLabsVoice voice, VoiceGender gender) =>
        voice.Labels is { } labels && labels.TryGetValue("gender", out var label)
        && string.Equals(label, gender.ToString(), StringComparison.OrdinalIgnoreCase);

    /// <summary>The account's voice whose id or name is <paramref name="nameOrId"/> (names compare ignoring case).</summary>
    public async Task<ElevenLabsVoice> ResolveVoiceAsync(string nameOrId, CancellationToken cancellationToken)
    {
        var list = await VoicesAsync(refresh: false, cancellationToken);
        var found = Find(list, nameOrId);
        if (found is null)
        {
            // A voice added since the list was read is found on a fresh read.
            list = await VoicesAsync(refresh: true, cancellationToken);
            found = Find(list, nameOrId);
        }
        return found ?? throw new PermanentStageException(
            $"ElevenLabs has no voice '{nameOrId}' for this key; the voices it has: {string.Join(", ", list.Select(v => v.Name ?? v.VoiceId).Take(40))}.");
    }

    private static ElevenLabsVoice? Find(IReadOnlyList<ElevenLabsVoice> list, string nameOrId) =>
        list.FirstOrDefault(v => v.VoiceId == nameOrId)
        ?? list.FirstOrDefault(v => string.Equals(v.Name, nameOrId, StringComparison.OrdinalIgnoreCase))
        // Premade voices are often named "Rachel - calm narrator": the first word of the name is the voice people say.
        ?? list.FirstOrDefault(v => v.Name is { } n && n.StartsWith(nameOrId + " ", StringComparison.OrdinalIgnoreCase));

    private async Task<IReadOnlyList<ElevenLabsVoice>> VoicesAsync(bool refresh, CancellationToken cancellationToken)
    {
        var o = options.Value;
        await voicesLock.WaitAsync(cancellationToken);
        try
        {
            if (!refresh && voices is not null && time.GetUtcNow() - voicesReadAt < o.VoicesCacheFor)
            {
                return voices;
            }
            var http = Client(o);
            var all = new List<ElevenLabsVoice>();
            string? token = null;
            // Ten pages of 100 is more voices than any account shows its users; the loop ends even if has_more never does.
            for (var page = 0; page < 10; page++)
            {
                var path = "v2/voices?page_size=100" + (token is null ? "" : "&next_page_token=" + Uri.EscapeDataString(token));
                using var response = await VoiceHttp.SendAsync(http, () => Request(HttpMethod.Get, path, o), o.MaxRetries, o.RetryBaseDelay, o.MaxRetryAfter, Vendor, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw await ErrorAsync(response, cancellationToken);
                }
                var body = await ReadAsync(response, ElevenLabsJsonContext.Default.ElevenLabsVoicesPage, cancellationToken);
                all.AddRange(body.Voices ?? []);
                token = body.NextPageToken;
                if (!body.HasMore || string.IsNullOrEmpty(token))
                {
                    break;
                }
            }
            VoicesListReads++;
            voices = all;
            voicesReadAt = time.GetUtcNow();
            return all;
        }
        finally
        {
            voicesLock.Release();
        }
    }

    private async Task<PaidVoiceParts.Bought> SpeakAsync(ElevenLabsVoice voice, string text, string? previous, string? next, double speed, string path, CancellationToken cancellationToken)
    {
        var o = options.Value;
        // ElevenLabs takes speeds from 0.7 to 1.2; outside that it answers 422.
        var settings = Math.Abs(speed - 1) < 0.005 ? null : new ElevenLabsVoiceSettings(Math.Round(Math.Clamp(speed, 0.7, 1.2), 2));
        var body = JsonSerializer.SerializeToUtf8Bytes(new ElevenLabsSpeechRequest(text, o.Model, settings, previous, next), ElevenLabsJsonContext.Default.ElevenLabsSpeechRequest);
        var url = $"v1/text-to-speech/{Uri.EscapeDataString(voice.VoiceId)}/with-timestamps?output_format={Uri.EscapeDataString(o.OutputFormat)}";
        using var response = await VoiceHttp.SendAsync(Client(o), () =>
        {
            var message = Request(HttpMethod.Post, url, o);
            message.Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
            return message;
        }, o.MaxRetries, o.RetryBaseDelay, o.MaxRetryAfter, Vendor, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken);
        }
        var answer = await ReadAsync(response, ElevenLabsJsonContext.Default.ElevenLabsSpeechResponse, cancellationToken);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(answer.AudioBase64 ?? throw new InvalidDataException("ElevenLabs answered without audio_base64."));
        }
        catch (FormatException e)
        {
            // A broken body from a proxy or a cut connection: another request may answer whole, so not permanent.
            throw new InvalidDataException("ElevenLabs answered audio_base64 that is not base64.", e);
        }
        if (bytes.Length == 0)
        {
            throw new InvalidDataException("ElevenLabs answered empty audio.");
        }
        await File.WriteAllBytesAsync(path, bytes, cancellationToken);
        // alignment follows the input text, which is what captions show; normalized_alignment romanises CJK (pipecat #4424).
        var alignment = answer.Alignment ?? answer.NormalizedAlignment;
        var words = alignment is { Characters: { } chars, Starts: { } starts, Ends: { } ends }
            ? CharacterAlignment.ToWords(text, chars, starts, ends)
            : throw new InvalidDataException("ElevenLabs answered no alignment, so captions cannot be timed.");
        // character-cost is what ElevenLabs billed, in credits (half the characters on flash and turbo).
        var credits = response.Headers.TryGetValues("character-cost", out var cost)
            && decimal.TryParse(cost.FirstOrDefault(), NumberStyles.Number, CultureInfo.InvariantCulture, out var billed)
                ? billed
                : text.Length * o.CreditsPerCharacter;
        var charge = new VoiceCharge(Provider, credits, "credits", credits * o.UsdPerCredit, o.PricesAsOf);
        return new PaidVoiceParts.Bought(words, charge);
    }

    private HttpClient Client(ElevenLabsOptions o)
    {
        var http = clients.CreateClient(HttpClientName);
        http.BaseAddress = o.BaseUrl;
        http.Timeout = o.Timeout;
        return http;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, ElevenLabsOptions o)
    {
        var message = new HttpRequestMessage(method, path);
        message.Headers.TryAddWithoutValidation("xi-api-key", o.ApiKey);
        return message;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken) ?? throw new InvalidDataException("ElevenLabs answered JSON null.");
        }
        catch (JsonException e)
        {
            // Malformed JSON under a 200 is a broken response, not a wrong request: the queue's retry may get a whole one.
            throw new InvalidDataException($"ElevenLabs answered JSON that could not be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// The exception for a refused call. A client error (400, 401, 403, 404, 422) is the request's or the account's and the
    /// same request fails again: permanent, with ElevenLabs' status code and message (never the key). 429 and 5xx that
    /// outlasted the retries are transient: the queue delivers the stage again later.
    /// </summary>
    private async Task<Exception> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var (code, message) = await ReadErrorAsync(response, cancellationToken);
        var status = (int)response.StatusCode;
        if (code == "voice_not_found")
        {
            voices = null;
            var list = await VoicesAsync(refresh: true, cancellationToken);
            return new PermanentStageException($"ElevenLabs has no such voice ({message}); the voices it has: {string.Join(", ", list.Select(v => v.Name ?? v.VoiceId).Take(40))}.");
        }
        if (response.StatusCode == HttpStatusCode.Unauthorized && code != "quota_exceeded")
        {
            return new PermanentStageException($"ElevenLabs refused the key in ElevenLabs:ApiKey (401 {code}); set it to a valid API key.");
        }
        if (code == "quota_exceeded")
        {
            return new PermanentStageException($"ElevenLabs quota exceeded for the key in ElevenLabs:ApiKey: {message}");
        }
        var text = $"ElevenLabs answered {status} {code}: {message}";
        return VoiceHttp.IsClientError(response.StatusCode) ? new PermanentStageException(text) : VoiceHttp.Transient(text, response);
    }

    private static async Task<(string Code, string Message)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var raw = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            var detail = JsonSerializer.Deserialize(raw, ElevenLabsJsonContext.Default.ElevenLabsError)?.Detail;
            if (detail is { ValueKind: JsonValueKind.Object } d)
            {
                return (Str(d, "status") ?? Str(d, "code") ?? "error", Str(d, "message") ?? raw);
            }
            if (detail is { ValueKind: JsonValueKind.Array } list)
            {
                // 422 HTTPValidationError: [{loc, msg, type}].
                var messages = list.EnumerateArray().Select(e => Str(e, "msg") is { } msg ? $"{Loc(e)}{msg}" : e.ToString());
                return ("validation_error", string.Join("; ", messages));
            }
            if (detail is { ValueKind: JsonValueKind.String } s)
            {
                return ("error", s.GetString() ?? raw);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): the raw text, cut short below, says what it is.
        }
        return ("error", raw.Length > 200 ? raw[..200] : raw);
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Loc(JsonElement e)
    {
        if (!e.TryGetProperty("loc", out var loc) || loc.ValueKind != JsonValueKind.Array)
        {
            return "";
        }
        var builder = new StringBuilder();
        foreach (var part in loc.EnumerateArray())
        {
            builder.Append(builder.Length > 0 ? "." : "").Append(part.ToString());
        }
        return builder.Append(": ").ToString();
    }

    public void Dispose()
    {
        limiter.Dispose();
        voicesLock.Dispose();
    }
}

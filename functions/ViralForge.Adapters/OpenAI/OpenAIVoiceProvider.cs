using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Voices;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.OpenAI;

/// <summary>
/// OpenAI voices: POST /audio/speech (gpt-4o-mini-tts with the row's Style as instructions, or tts-1) speaks the script,
/// and since it answers no timings, whisper-1 transcribes the audio with word timestamps (verbose_json) and
/// <see cref="WhisperAligner"/> puts the script's own words on them.
/// </summary>
/// <remarks>
/// A text over 4,096 characters is spoken in parts cut at sentence ends, each part (speech and transcription) paid for
/// once per paid work (<see cref="PaidVoiceParts"/>), joined without clicks and timed with each part's offset. Calls go
/// through one <see cref="VoiceLimiter"/> for the process.
/// </remarks>
public sealed class OpenAIVoiceProvider(
    IHttpClientFactory clients,
    IOptions<OpenAIVoiceOptions> options,
    NarrationAudio audio,
    IBlobStore blobs,
    ICostLedger? ledger = null,
    ILogger<OpenAIVoiceProvider>? log = null) : IVoiceProvider, IDisposable
{
    /// <summary>The named HttpClient of this provider.</summary>
    public const string HttpClientName = "openai-voice";

    public const string Provider = "openai";

    /// <summary>The built-in voices (CreateSpeechRequest's description); a custom voice is voice_….</summary>
    public static IReadOnlyList<string> Voices { get; } = ["alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer", "verse", "marin", "cedar"];

    /// <summary>
    /// How the built-in voices sound, for a reviewer's "a female voice" or "a male voice". OpenAI publishes no genders: this
    /// is how its voice samples are commonly heard. alloy, ballad and verse are left out as neither, so a wish for either
    /// gender changes them. A voice that already sounds as asked is kept; another gives way to OpenAI:FemaleVoice or OpenAI:MaleVoice.
    /// </summary>
    public static IReadOnlyDictionary<string, VoiceGender> VoiceGenders { get; } = new Dictionary<string, VoiceGender>(StringComparer.OrdinalIgnoreCase)
    {
        ["coral"] = VoiceGender.Female,
        ["nova"] = VoiceGender.Female,
        ["shimmer"] = VoiceGender.Female,
        ["sage"] = VoiceGender.Female,
        ["marin"] = VoiceGender.Female,
        ["ash"] = VoiceGender.Male,
        ["echo"] = VoiceGender.Male,
        ["onyx"] = VoiceGender.Male,
        ["fable"] = VoiceGender.Male,
        ["cedar"] = VoiceGender.Male,
    };

    private const string Vendor = "OpenAI";

    private readonly VoiceLimiter limiter = new(options.Value.VoiceMaxConcurrentRequests, options.Value.VoiceRequestsPerMinute);
    private readonly PaidVoiceParts paid = new(Provider, blobs, ledger, log);

    public async Task<Narration> SynthesizeAsync(VoiceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            throw new PermanentStageException("There is nothing to speak: the narration text is empty.");
        }
        var o = options.Value;
        var choice = VoiceChoice.Parse(request.Voice);
        var voice = choice is { Provider: Provider } ? choice.Name : o.DefaultVoice;
        var notes = new List<string>();
        if (request.Gender is { } gender && !(VoiceGenders.TryGetValue(voice, out var sounds) && sounds == gender))
        {
            // A reviewer asked for a female or male voice and the row's does not sound so (or is not in the table).
            var swapped = gender == VoiceGender.Female ? o.FemaleVoice : o.MaleVoice;
            notes.Add($"OpenAI speaks with the voice {swapped} instead of {voice}: the reviewer asked for a {gender.ToString().ToLowerInvariant()} voice.");
            voice = swapped;
        }
        var parts = NarrationText.Split(request.Text, o.MaxCharactersPerRequest);
        var output = Path.GetFullPath(request.OutputPath);
        var paths = new List<string>();
        for (var i = 0; i < parts.Count; i++)
        {
            var path = $"{output}.part-{i + 1}.wav";
            var text = parts[i];
            await paid.GetOrBuyAsync(
                request.Work?.For($"tts-part-{i + 1}"),
                path,
                ct => limiter.RunAsync(c => SpeakAsync(voice, text, request, path, c), ct),
                cancellationToken);
            paths.Add(path);
        }
        var lengths = await audio.JoinAsync(paths, output, cancellationToken);
        var words = new List<WordTiming>();
        var offset = 0.0;
        for (var i = 0; i < parts.Count; i++)
        {
            var work = request.Work?.For($"align-part-{i + 1}");
            var heard = await paid.FindWordsAsync(work, cancellationToken);
            if (heard is null)
            {
                var (path, language) = (paths[i], request.Language);
                var (recognised, seconds) = await limiter.RunAsync(c => TranscribeAsync(path, language, c), cancellationToken);
                heard = recognised;
                var charge = new VoiceCharge(Provider, (decimal)Math.Round(seconds, 2), "seconds", (decimal)seconds / 60 * o.TranscriptionUsdPerMinute, o.PricesAsOf);
                await paid.RecordAsync(work, charge, recognised, cancellationToken);
            }
            words.AddRange(NarrationText.Shift(WhisperAligner.Align(parts[i], heard, lengths[i]), offset));
            offset += lengths[i];
        }
        foreach (var path in paths)
        {
            File.Delete(path);
        }
        return new Narration(output, offset, words, notes, $"{Provider}:{voice}", RetakesAreFree: false);
    }

    private async Task<PaidVoiceParts.Bought> SpeakAsync(string voice, string text, VoiceRequest request, string path, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var instructions = o.TakesInstructions && !string.IsNullOrWhiteSpace(request.Style) ? $"Speak in this style: {request.Style.Trim()}" : null;
        // OpenAI takes 0.25 to 4.
        double? speed = Math.Abs(request.SpeedFactor - 1) < 0.005 ? null : Math.Round(Math.Clamp(request.SpeedFactor, 0.25, 4), 2);
        var body = JsonSerializer.SerializeToUtf8Bytes(new OpenAISpeechRequest(o.VoiceModel, text, voice, instructions, "wav", speed), OpenAIVoiceJsonContext.Default.OpenAISpeechRequest);
        using var response = await VoiceHttp.SendAsync(Client(o), () =>
        {
            var message = Request("audio/speech", o);
            message.Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
            return message;
        }, o.VoiceMaxRetries, o.VoiceRetryBaseDelay, o.VoiceMaxRetryAfter, Vendor, cancellationToken, NeedsBilling);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, voice, cancellationToken);
        }
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (bytes.Length == 0)
        {
            throw new InvalidDataException("OpenAI answered empty audio.");
        }
        await File.WriteAllBytesAsync(path, bytes, cancellationToken);
        return new PaidVoiceParts.Bought(null, new VoiceCharge(Provider, text.Length, "characters", text.Length * o.VoiceUsdPerCharacter, o.PricesAsOf));
    }

    private async Task<(IReadOnlyList<WordTiming> Words, double Seconds)> TranscribeAsync(string path, string language, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        // ISO-639-1: the BCP 47 tag's language (pt of pt-BR).
        var iso = language.Split('-', '_')[0].ToLowerInvariant();
        using var response = await VoiceHttp.SendAsync(Client(o), () =>
        {
            var message = Request("audio/transcriptions", o);
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
            form.Add(file, "file", "narration.wav");
            form.Add(new StringContent(o.TranscriptionModel), "model");
            // Word timestamps need verbose_json; with json they are a 400.
            form.Add(new StringContent("verbose_json"), "response_format");
            form.Add(new StringContent("word"), "timestamp_granularities[]");
            if (iso.Length == 2)
            {
                form.Add(new StringContent(iso), "language");
            }
            message.Content = form;
            return message;
        }, o.VoiceMaxRetries, o.VoiceRetryBaseDelay, o.VoiceMaxRetryAfter, Vendor, cancellationToken, NeedsBilling);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, null, cancellationToken);
        }
        WhisperTranscription answer;
        try
        {
            answer = await response.Content.ReadFromJsonAsync(OpenAIVoiceJsonContext.Default.WhisperTranscription, cancellationToken)
                ?? throw new InvalidDataException("OpenAI answered JSON null for the transcription.");
        }
        catch (JsonException e)
        {
            // A broken body under a 200: another request may answer whole, so not permanent.
            throw new InvalidDataException($"OpenAI answered a transcription that could not be read: {e.Message}", e);
        }
        var words = answer.Words?.Select(w => new WordTiming(w.Word.Trim(), w.Start, w.End)).ToList()
            ?? throw new InvalidDataException("OpenAI answered a transcription without words; is OpenAI:TranscriptionModel whisper-1?");
        var seconds = answer.Usage?.Seconds ?? answer.Duration ?? words.LastOrDefault()?.End ?? 0;
        return (words, seconds);
    }

    private static bool NeedsBilling(string body) => body.Contains("\"insufficient_quota\"", StringComparison.Ordinal);

    private HttpClient Client(OpenAIVoiceOptions o)
    {
        var http = clients.CreateClient(HttpClientName);
        http.Timeout = o.VoiceTimeout;
        return http;
    }

    private static HttpRequestMessage Request(string path, OpenAIVoiceOptions o)
    {
        // Paths are appended to the endpoint, /v1 kept (a BaseAddress without a trailing slash would drop it).
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(o.Endpoint.ToString().TrimEnd('/') + "/" + path));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.ApiKey);
        return message;
    }

    /// <summary>
    /// The exception for a refused call. 401 and other client errors fail the row (the same request fails again), naming
    /// the setting, never the key; 429 insufficient_quota too (it needs billing, not waiting). A 429 or 5xx that outlasted
    /// the retries is transient: the queue delivers the stage again later.
    /// </summary>
    private static async Task<Exception> ErrorAsync(HttpResponseMessage response, string? voice, CancellationToken cancellationToken)
    {
        var raw = await response.Content.ReadAsStringAsync(cancellationToken);
        OpenAIErrorBody? error = null;
        try
        {
            error = JsonSerializer.Deserialize(raw, OpenAIVoiceJsonContext.Default.OpenAIErrorEnvelope)?.Error;
        }
        catch (JsonException)
        {
            // Not the envelope (a proxy's page): the status and raw text say what happened.
        }
        var status = (int)response.StatusCode;
        var code = error?.Code ?? error?.Type ?? "error";
        var message = error?.Message ?? (raw.Length > 200 ? raw[..200] : raw);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return new PermanentStageException($"OpenAI refused the key in OpenAI:ApiKey (401 {code}); set it to a valid API key.");
        }
        if (code == "insufficient_quota")
        {
            return new PermanentStageException($"OpenAI quota exhausted for the key in OpenAI:ApiKey (insufficient_quota): {message}");
        }
        if (voice is not null && status is 400 or 422 && error?.Param == "voice")
        {
            return new PermanentStageException($"OpenAI has no voice '{voice}'; the voices it has: {string.Join(", ", Voices)} (or a custom voice_… id).");
        }
        var text = string.Create(CultureInfo.InvariantCulture, $"OpenAI answered {status} {code}: {message}");
        return VoiceHttp.IsClientError(response.StatusCode) ? new PermanentStageException(text) : VoiceHttp.Transient(text, response);
    }

    public void Dispose() => limiter.Dispose();
}

using System.Buffers.Binary;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;

namespace ViralForge.Adapters.Local;

/// <summary>Speaks text offline with libespeak-ng in-process, timing every word from the engine's own word events.</summary>
/// <remarks>
/// language is a BCP 47 tag such as "en", "en-US", "pt-BR", "ja" or "ar"; one espeak-ng has no voice for is spoken
/// with English and logged as a warning. voice is the row's Voice cell: "default" (the language's voice), or
/// espeak:&lt;voice&gt; where voice is an espeak-ng voice ("es", "en-us"), a variant ("f3", "m1": a file in
/// espeak-ng-data/voices/!v, spoken in the row's language) or both ("en+f3"). A voice of another provider
/// (openai:alloy, elevenlabs:Rachel), which this deployment cannot speak, and a name espeak-ng does not know speak
/// with the language's voice. A reviewer's wish for a female or male voice picks the f3 or m3 variant, and the speed
/// factor multiplies Media.WordsPerMinute. Every fallback is also a note in <see cref="Narration.Notes"/>, for the
/// row's Error cell. Japanese kanji are read into hiragana with kakasi first (<see cref="KanaReader"/>). Words are the
/// text's own whitespace-separated tokens, punctuation kept, so captions show the script as written.
/// </remarks>
public sealed class EspeakVoiceProvider(IOptions<ViralForgeOptions> options, ILogger<EspeakVoiceProvider> logger) : IVoiceProvider
{
    /// <summary>Longest text one call speaks (about 18 minutes of audio at 165 words a minute).</summary>
    public const int MaxTextLength = 20_000;

    /// <summary>The espeak-ng voice a language without one of its own is spoken with.</summary>
    public const string FallbackVoice = "en";

    /// <summary>The variants a reviewer's "female voice" and "male voice" pick.</summary>
    public const string FemaleVariant = "f3";

    public const string MaleVariant = "m3";

    /// <summary>espeak-ng's own limits on the rate, in words a minute.</summary>
    public const int MinRate = 80;

    public const int MaxRate = 450;

    // espeak-ng's silence is digital zero, so anything this far above it is speech (about -50 dBFS).
    private const int SilenceThreshold = 100;

    // libespeak-ng holds one engine per process: the voice, the rate, the callback and the text being
    // spoken are globals inside the library and none of its functions may run on two threads at once. So
    // every call into it, from every instance, holds this one lock, and the state that belongs to the
    // library is static here too. A semaphore rather than a monitor so that callers queue without holding
    // a thread and can give up while they wait.
    private static readonly SemaphoreSlim Engine = new(1, 1);

    // The library keeps the function pointer for the life of the process; a static field keeps the
    // delegate (and so the thunk behind that pointer) from being collected.
    private static readonly EspeakNative.SynthCallback Callback = OnSynth;

    private static int sampleRate;
    private static string dataPath = "";
    private static Capture? current;

    private readonly int wordsPerMinute = options.Value.Media.WordsPerMinute;

    public async Task<Narration> SynthesizeAsync(VoiceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!double.IsFinite(request.SpeedFactor) || request.SpeedFactor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.SpeedFactor, "The speed factor must be a positive number (1 is the normal rate).");
        }
        var (text, voice, language, outputPath) = (request.Text, request.Voice, request.Language, request.OutputPath);
        // A NUL is spoken as a space (see below), so text of only NULs and spaces is empty too.
        if (string.IsNullOrWhiteSpace(text) || text.All(c => c == '\0' || char.IsWhiteSpace(c)))
        {
            throw new ArgumentException("There is nothing to speak: the narration text is empty or whitespace.", nameof(text));
        }

        if (text.Length > MaxTextLength)
        {
            throw new ArgumentException($"The narration text is {text.Length} characters long; espeak-ng speaks at most {MaxTextLength} in one call.", nameof(text));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        cancellationToken.ThrowIfCancellationRequested();

        // A NUL would end the C string early; a space keeps every code point where it was.
        var written = text.Replace('\0', ' ');
        var spoken = written;
        var readAsKana = IsJapanese(language, voice) && KanaReader.HasKanji(written);
        if (readAsKana)
        {
            // Spoken word by word, so each written word keeps its timing; the captions show the written words.
            var tokens = Tokenize(written).Select(t => t.Word).ToList();
            spoken = string.Join(' ', await KanaReader.ToKanaAsync(tokens, cancellationToken));
        }
        var rate = (int)Math.Clamp(Math.Round(wordsPerMinute * request.SpeedFactor), MinRate, MaxRate);
        var capture = new Capture(cancellationToken) { Rate = rate, Gender = request.Gender };
        await Engine.WaitAsync(cancellationToken);
        try
        {
            // espeak_Synth blocks for the whole synthesis (about 0.6 s per 1,000 words): a thread of its own,
            // so a long text does not starve the thread pool that timers, and so cancellation, run on. The
            // lock is released only when Speak has returned, never while native code is still running.
            await Task.Factory.StartNew(
                () => Speak(spoken, voice ?? "", language ?? "", capture),
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }
        finally
        {
            Engine.Release();
        }

        // The callback aborts the synthesis when the token fires; the partial audio is not written.
        cancellationToken.ThrowIfCancellationRequested();

        var samples = capture.ToSamples();
        var durationSeconds = (double)samples.Length / capture.SampleRate;
        var speechEndSeconds = SpeechEnd(samples) / (double)capture.SampleRate;
        var words = Align(spoken, capture.WordEvents, speechEndSeconds, durationSeconds, out var interpolated);
        if (readAsKana)
        {
            words = [.. words.Zip(Tokenize(written), (timing, token) => timing with { Word = token.Word })];
        }
        if (interpolated > 0)
        {
            logger.EspeakWordsInterpolated(capture.WordEvents.Count, words.Count, interpolated);
        }

        var fullPath = Path.GetFullPath(outputPath);
        await WriteWavAtomicallyAsync(fullPath, samples, capture.SampleRate, cancellationToken);
        logger.EspeakSpoke(words.Count, durationSeconds, capture.Voice, fullPath);
        return new Narration(fullPath, durationSeconds, words, capture.Notes, $"{VoiceChoice.Espeak}:{capture.Voice}");
    }

    // Caller holds the lock.
    private void Speak(string text, string voice, string language, Capture capture)
    {
        capture.SampleRate = EnsureInitialized();
        capture.Voice = SelectVoice(language, voice, capture.Gender, capture.Notes);
        Check(EspeakNative.SetParameter(EspeakNative.ParameterRate, capture.Rate, 0), "espeak_SetParameter(espeakRATE)");

        var utf8 = Encoding.UTF8.GetBytes(text + "\0");
        current = capture;
        try
        {
            var synth = EspeakNative.Synth(utf8, (nuint)utf8.Length, 0, EspeakNative.PositionCharacter, 0, EspeakNative.CharsUtf8, IntPtr.Zero, IntPtr.Zero);
            var synchronize = synth == EspeakNative.Ok ? EspeakNative.Synchronize() : EspeakNative.Ok;

            // A synthesis the callback aborted may end with an error code; what made it abort is the reason.
            capture.Failure?.Throw();
            capture.CancellationToken.ThrowIfCancellationRequested();
            Check(synth, "espeak_Synth");
            Check(synchronize, "espeak_Synchronize");
        }
        finally
        {
            current = null;
        }
    }

    // Caller holds the lock.
    private int EnsureInitialized()
    {
        if (sampleRate > 0)
        {
            return sampleRate;
        }

        var rate = EspeakNative.Initialize(EspeakNative.AudioOutputSynchronous, 200, null, EspeakNative.InitializeDontExit);
        if (rate <= 0)
        {
            throw new InvalidOperationException($"espeak-ng could not start (espeak_Initialize returned {rate}); is espeak-ng-data installed (apt-get install espeak-ng)?");
        }

        EspeakNative.SetSynthCallback(Callback);
        var version = Marshal.PtrToStringUTF8(EspeakNative.Info(out var path)) ?? "?";
        dataPath = Marshal.PtrToStringUTF8(path) ?? "";
        sampleRate = rate;
        logger.EspeakReady(version, rate, dataPath);
        return rate;
    }

    /// <summary>Whether the text is to be read as Japanese: the row's language, or an espeak:ja voice.</summary>
    private static bool IsJapanese(string? language, string? voice)
    {
        static string Primary(string? tag) => (tag ?? "").Trim().Split('-', '_', '+')[0].ToLowerInvariant();
        var choice = VoiceChoice.Parse(voice ?? "");
        return Primary(language) == "ja" || (choice is { Provider: VoiceChoice.Espeak } && Primary(choice.Name) == "ja");
    }

    // Caller holds the lock. The row's Voice (see the class remarks) on top of its language's voice; gender wins over a variant.
    private string SelectVoice(string language, string voice, VoiceGender? gender, List<string> notes)
    {
        var languageVoice = LanguageVoice(language, notes);
        var name = languageVoice;
        string? variant = null;
        var cell = voice.Trim();
        var choice = VoiceChoice.Parse(cell);
        // A bare name (no provider) is an espeak-ng one: the Voice cell before provider:voice, and callers like the bench.
        if (choice is null && cell.Length > 0 && !cell.Equals(VoiceChoice.Default, StringComparison.OrdinalIgnoreCase) && !cell.Contains(':', StringComparison.Ordinal))
        {
            choice = new VoiceChoice(VoiceChoice.Espeak, cell);
        }

        string? unmet = null;
        if (choice is { Provider: VoiceChoice.Espeak })
        {
            var plus = choice.Name.IndexOf('+', StringComparison.Ordinal);
            var (voicePart, variantPart) = plus >= 0 ? (choice.Name[..plus], choice.Name[(plus + 1)..]) : (choice.Name, null);
            if (variantPart is null && IsVariant(voicePart))
            {
                variant = voicePart;
            }
            else if (voicePart.Length > 0 && IsVoice(voicePart))
            {
                name = voicePart;
                variant = variantPart;
            }
            else if (voicePart.Length > 0)
            {
                unmet = $"Voice={cell} is not an espeak-ng voice or voice variant (such as es, en+f3 or f3)";
                variant = variantPart;
            }
            if (variant is not null && !IsVariant(variant))
            {
                logger.EspeakVariantIgnored(variant, name);
                unmet ??= $"Voice={cell} is not an espeak-ng voice variant (such as f3 or m1)";
                variant = null;
            }
        }
        else if (choice is not null)
        {
            unmet = $"Voice={cell} needs the {choice.Provider} voice provider, which this deployment does not have";
        }

        if (gender is not null)
        {
            variant = gender == VoiceGender.Female ? FemaleVariant : MaleVariant;
        }

        var full = variant is null ? name : $"{name}+{variant}";
        Check(EspeakNative.SetVoiceByName(full), $"espeak_SetVoiceByName({full})");
        if (unmet is not null)
        {
            notes.Add($"{unmet}; the narration uses espeak-ng's {full} voice");
        }
        return full;
    }

    // Caller holds the lock. Tries the full tag ("pt-br"), then its language ("pt"), then English.
    private string LanguageVoice(string language, List<string> notes)
    {
        var tag = language.Trim().Replace('_', '-').ToLowerInvariant();
        string? chosen = null;
        if (tag.Length > 0 && tag.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            var dash = tag.IndexOf('-', StringComparison.Ordinal);
            string[] candidates = dash > 0 ? [tag, tag[..dash]] : [tag];
            chosen = candidates.FirstOrDefault(candidate => EspeakNative.SetVoiceByName(candidate) == EspeakNative.Ok);
        }

        if (chosen is null)
        {
            Check(EspeakNative.SetVoiceByName(FallbackVoice), $"espeak_SetVoiceByName({FallbackVoice})");
            chosen = FallbackVoice;
            logger.EspeakLanguageFallback(language, FallbackVoice);
            // An empty Language is the default, English; anything else the person asked for and does not get.
            if (tag.Length > 0)
            {
                notes.Add($"espeak-ng has no voice for Language={language.Trim()}; the narration is spoken with its English voice");
            }
        }
        return chosen;
    }

    // Caller holds the lock. espeak_SetVoiceByName accepts "en+nosuch" without complaint, so a variant is looked up as a file.
    private static bool IsVariant(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && File.Exists(Path.Combine(dataPath, "voices", "!v", name));

    // Caller holds the lock.
    private static bool IsVoice(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && EspeakNative.SetVoiceByName(name) == EspeakNative.Ok;

    private static void Check(int result, string call)
    {
        if (result != EspeakNative.Ok)
        {
            throw new InvalidOperationException($"{call} failed with espeak_ERROR {result}.");
        }
    }

    // Runs on the synthesising thread, inside espeak_Synth; an exception must not cross into native code.
    private static int OnSynth(IntPtr wav, int numSamples, IntPtr events)
    {
        var capture = current;
        if (capture is null)
        {
            return 1;
        }

        try
        {
            if (wav != IntPtr.Zero && numSamples > 0)
            {
                capture.AddSamples(wav, numSamples);
            }

            for (var e = events; e != IntPtr.Zero; e += EspeakNative.EventSize)
            {
                var type = Marshal.ReadInt32(e, EspeakNative.EventTypeOffset);
                if (type == EspeakNative.EventListTerminated)
                {
                    break;
                }

                if (type == EspeakNative.EventWord)
                {
                    capture.WordEvents.Add(new WordEvent(
                        Marshal.ReadInt32(e, EspeakNative.EventTextPositionOffset),
                        Marshal.ReadInt32(e, EspeakNative.EventAudioPositionOffset)));
                }
            }

            return capture.CancellationToken.IsCancellationRequested ? 1 : 0;
        }
        catch (Exception exception)
        {
            capture.Failure = ExceptionDispatchInfo.Capture(exception);
            return 1;
        }
    }

    /// <summary>Samples up to the last one above the silence threshold: where speech ends.</summary>
    private static int SpeechEnd(ReadOnlySpan<short> samples)
    {
        for (var i = samples.Length - 1; i >= 0; i--)
        {
            if (Math.Abs((int)samples[i]) > SilenceThreshold)
            {
                return i + 1;
            }
        }

        return samples.Length;
    }

    /// <summary>
    /// Times the text's own tokens from espeak's word events. Each event belongs to the token its text
    /// position falls in (or the next one, when it points at the space before it); a token with no event
    /// (a symbol espeak skipped, or the second half of a phrase it spoke as one) gets a time between its
    /// neighbours, shared out by letter count. Never throws on odd text: every token gets a timing.
    /// </summary>
    private static IReadOnlyList<WordTiming> Align(
        string text,
        IReadOnlyList<WordEvent> events,
        double speechEndSeconds,
        double durationSeconds,
        out int interpolated)
    {
        var tokens = Tokenize(text);
        interpolated = 0;
        if (tokens.Count == 0)
        {
            return [];
        }

        var perToken = new List<int>[tokens.Count];
        for (var i = 0; i < perToken.Length; i++)
        {
            perToken[i] = [];
        }

        var previous = 0;
        foreach (var wordEvent in events)
        {
            // text_position is 1-based and counts code points (see EspeakNative).
            var index = Math.Max(previous, TokenAt(tokens, wordEvent.TextPosition - 1));
            perToken[index].Add(wordEvent.AudioMilliseconds);
            previous = index;
        }

        GiveSurplusToFollowingWords(tokens, perToken);

        var starts = new double[tokens.Count];
        var known = new bool[tokens.Count];
        var lastKnown = double.NegativeInfinity;
        for (var i = 0; i < tokens.Count; i++)
        {
            // A word heard no later than the one before it (espeak gives "... !!! ???" one time) is
            // treated as untimed, so it gets a share of the time around it rather than a zero-length span.
            if (perToken[i].Count > 0 && perToken[i][0] / 1000.0 > lastKnown)
            {
                starts[i] = perToken[i][0] / 1000.0;
                known[i] = true;
                lastKnown = starts[i];
            }
        }

        interpolated = FillGaps(tokens, starts, known, speechEndSeconds);

        var end = Math.Min(durationSeconds, Math.Max(speechEndSeconds, starts[^1]));
        var timings = new WordTiming[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            // Equal event times would leave a word no span; a millisecond keeps starts strictly increasing.
            if (i > 0 && starts[i] <= starts[i - 1])
            {
                starts[i] = starts[i - 1] + 0.001;
            }

            starts[i] = Math.Clamp(starts[i], 0, durationSeconds);
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            var wordEnd = i + 1 < tokens.Count ? starts[i + 1] : Math.Max(end, starts[i]);
            timings[i] = new WordTiming(tokens[i].Word, starts[i], Math.Min(wordEnd, durationSeconds));
        }

        return timings;
    }

    /// <summary>Whitespace-separated tokens with their code-point ranges, the unit espeak's positions count in.</summary>
    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var utf16 = 0;
        var codePoint = 0;
        var startUtf16 = -1;
        var startCodePoint = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                if (startUtf16 >= 0)
                {
                    tokens.Add(new Token(text[startUtf16..utf16], startCodePoint, codePoint));
                    startUtf16 = -1;
                }
            }
            else if (startUtf16 < 0)
            {
                startUtf16 = utf16;
                startCodePoint = codePoint;
            }

            utf16 += rune.Utf16SequenceLength;
            codePoint++;
        }

        if (startUtf16 >= 0)
        {
            tokens.Add(new Token(text[startUtf16..], startCodePoint, codePoint));
        }

        return tokens;
    }

    /// <summary>The first token ending after codePoint: the one it falls in, or the next after a space.</summary>
    private static int TokenAt(List<Token> tokens, int codePoint)
    {
        var low = 0;
        var high = tokens.Count - 1;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (tokens[middle].EndCodePoint > codePoint)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    /// <summary>
    /// espeak speaks some phrases as one dictionary entry ("déjà vu") and then points every event of it at
    /// the first word, leaving the next word without one. When a token has extra events and the words
    /// right after it have none, those words take the extra events in order. Symbols that are not words
    /// take nothing, so "2026 🚀" keeps all five events of "two thousand and twenty-six" on "2026".
    /// </summary>
    private static void GiveSurplusToFollowingWords(List<Token> tokens, List<int>[] perToken)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var run = 0;
            while (i + run + 1 < tokens.Count && perToken[i + run + 1].Count == 0 && tokens[i + run + 1].Weight > 0)
            {
                run++;
            }

            var moved = Math.Min(run, perToken[i].Count - 1);
            if (moved <= 0)
            {
                continue;
            }

            var surplus = perToken[i].GetRange(perToken[i].Count - moved, moved);
            perToken[i].RemoveRange(perToken[i].Count - moved, moved);
            for (var k = 0; k < moved; k++)
            {
                perToken[i + 1 + k].Add(surplus[k]);
            }
        }
    }

    /// <summary>Gives each untimed run of tokens a share of the time between its timed neighbours.</summary>
    private static int FillGaps(List<Token> tokens, double[] starts, bool[] known, double speechEndSeconds)
    {
        var filled = 0;
        var i = 0;
        while (i < tokens.Count)
        {
            if (known[i])
            {
                i++;
                continue;
            }

            var runStart = i;
            while (i < tokens.Count && !known[i])
            {
                i++;
            }

            // The timed word before the run shares its span with the run, weighted by letters.
            var first = runStart > 0 ? runStart - 1 : runStart;
            var from = runStart > 0 ? starts[runStart - 1] : 0;
            var to = i < tokens.Count ? starts[i] : Math.Max(speechEndSeconds, from);
            var total = 0.0;
            for (var k = first; k < i; k++)
            {
                total += Math.Max(1, tokens[k].Weight);
            }

            var elapsed = 0.0;
            for (var k = first; k < i; k++)
            {
                if (!known[k])
                {
                    starts[k] = from + ((to - from) * elapsed / total);
                    filled++;
                }

                elapsed += Math.Max(1, tokens[k].Weight);
            }
        }

        return filled;
    }

    private static Task WriteWavAtomicallyAsync(string path, short[] samples, int rate, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(path, async (stream, ct) =>
        {
            await stream.WriteAsync(WavHeader(samples.Length, rate), ct);

            // In slices through one buffer: a long narration is tens of megabytes, not worth copying whole.
            var buffer = new byte[1 << 16];
            for (var offset = 0; offset < samples.Length; offset += buffer.Length / 2)
            {
                var count = Math.Min(buffer.Length / 2, samples.Length - offset);
                for (var i = 0; i < count; i++)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(buffer.AsSpan(i * 2), samples[offset + i]);
                }

                await stream.WriteAsync(buffer.AsMemory(0, count * 2), ct);
            }
        }, cancellationToken);

    /// <summary>A canonical 44-byte RIFF WAVE header: PCM, 16-bit, mono.</summary>
    private static byte[] WavHeader(int sampleCount, int rate)
    {
        const int bytesPerSample = 2;
        var dataBytes = sampleCount * bytesPerSample;
        var header = new byte[44];
        var span = header.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataBytes);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], rate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], rate * bytesPerSample);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], bytesPerSample);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);
        return header;
    }

    /// <summary>One espeakEVENT_WORD: where the word is in the text and when it is heard.</summary>
    private readonly record struct WordEvent(int TextPosition, int AudioMilliseconds);

    private sealed record Token(string Word, int StartCodePoint, int EndCodePoint)
    {
        /// <summary>Letters and digits: how long the word roughly takes to say, 0 for a bare symbol.</summary>
        public int Weight { get; } = Word.Count(char.IsLetterOrDigit);
    }

    /// <summary>What one synthesis collects through the callback.</summary>
    private sealed class Capture(CancellationToken cancellationToken)
    {
        private short[] buffer = new short[1 << 16];
        private int count;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public List<WordEvent> WordEvents { get; } = [];

        public ExceptionDispatchInfo? Failure { get; set; }

        public int SampleRate { get; set; }

        public string Voice { get; set; } = "";

        /// <summary>Words a minute, after the request's speed factor.</summary>
        public int Rate { get; init; }

        public VoiceGender? Gender { get; init; }

        /// <summary>What of the row's language and voice the narration does not honour (<see cref="Narration.Notes"/>).</summary>
        public List<string> Notes { get; } = [];

        public short[] ToSamples() => buffer[..count];

        public void AddSamples(IntPtr wav, int numSamples)
        {
            if (count + numSamples > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(buffer.Length * 2, count + numSamples));
            }

            Marshal.Copy(wav, buffer, count, numSamples);
            count += numSamples;
        }
    }
}

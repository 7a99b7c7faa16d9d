using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Local;
using ViralForge.Core;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Tests.Local;

public sealed class EspeakVoiceProviderTests : IDisposable
{
    // Starts with a stop consonant, so the audio starts with a few milliseconds of silence (a vowel would not).
    private const string TwentyWords =
        "Today our bakery sells warm bread, sweet rolls and strong coffee to hundreds of sleepy neighbours before the sun rises.";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "vf-voice-" + Guid.NewGuid().ToString("N"));

    public EspeakVoiceProviderTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Writes_a_16_bit_mono_wav_as_long_as_the_reported_duration()
    {
        var narration = await Provider().SynthesizeAsync(new VoiceRequest(TwentyWords, "", "en", Output()), CancellationToken.None);

        var wav = Wav.Read(narration.LocalPath);
        Assert.Equal(1, wav.Channels);
        Assert.Equal(16, wav.BitsPerSample);
        Assert.Equal(22050, wav.SampleRate);
        Assert.InRange(narration.DurationSeconds, 3, 15);
        Assert.Equal(narration.DurationSeconds, wav.Samples.Length / (double)wav.SampleRate, 0.05);

        using var probe = JsonDocument.Parse(await Ffprobe(narration.LocalPath));
        var stream = probe.RootElement.GetProperty("streams")[0];
        Assert.Equal("pcm_s16le", stream.GetProperty("codec_name").GetString());
        Assert.Equal("22050", stream.GetProperty("sample_rate").GetString());
        Assert.Equal(1, stream.GetProperty("channels").GetInt32());
        var probedSeconds = double.Parse(probe.RootElement.GetProperty("format").GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(narration.DurationSeconds, probedSeconds, 0.05);
    }

    [Fact]
    public async Task Every_word_of_a_sentence_is_timed_in_order_within_the_audio()
    {
        var narration = await Provider().SynthesizeAsync(new VoiceRequest(TwentyWords, "", "en", Output()), CancellationToken.None);

        var expected = TwentyWords.Split(' ');
        Assert.Equal(20, expected.Length);
        Assert.Equal(expected, narration.Words.Select(w => w.Word));
        AssertStrictlyIncreasing(narration);
        // Within a sentence each word starts where the one before it ends.
        Assert.All(narration.Words.Zip(narration.Words.Skip(1)), pair => Assert.Equal(pair.Second.Start, pair.First.End));

        // The last word ends where speech does, not at the end of the trailing silence, but close to it.
        Assert.InRange(narration.Words[^1].End, narration.DurationSeconds - 0.3, narration.DurationSeconds);
    }

    [Fact]
    public async Task Each_word_span_is_clearly_louder_than_the_leading_silence()
    {
        var narration = await Provider().SynthesizeAsync(new VoiceRequest(TwentyWords, "", "en", Output()), CancellationToken.None);
        var wav = Wav.Read(narration.LocalPath);

        var silence = Rms(wav, 0, 0.005);
        Assert.True(silence < 50, $"the first 5 ms should be the silence before the 't' of 'Today', RMS {silence:F0}");
        foreach (var word in narration.Words)
        {
            var loudness = Rms(wav, word.Start, word.End);
            Assert.True(loudness > 500 && loudness > 20 * silence, $"'{word.Word}' ({word.Start:F3}-{word.End:F3}) has RMS {loudness:F0}, leading silence {silence:F0}");
        }
    }

    [Fact]
    public async Task The_first_word_starts_at_the_first_sound_and_a_sentence_pause_falls_between_words()
    {
        var narration = await Provider().SynthesizeAsync(new VoiceRequest("Stop. Now listen carefully.", "", "en", Output()), CancellationToken.None);
        var wav = Wav.Read(narration.LocalPath);

        Assert.Equal(["Stop.", "Now", "listen", "carefully."], narration.Words.Select(w => w.Word));

        // The pause after "Stop." is silent and ends right before "Now" begins to sound.
        var now = narration.Words[1];
        Assert.True(Rms(wav, now.Start - 0.06, now.Start - 0.01) < 50, "the 50 ms before 'Now' should be the sentence pause");
        Assert.True(Rms(wav, now.Start, now.Start + 0.1) > 500, "'Now' should sound right from its start");
    }

    [Fact]
    public async Task Longer_text_gives_proportionally_longer_audio()
    {
        var provider = Provider();
        var once = await provider.SynthesizeAsync(new VoiceRequest(TwentyWords, "", "en", Output("once")), CancellationToken.None);
        var thrice = await provider.SynthesizeAsync(new VoiceRequest(string.Join(' ', Enumerable.Repeat(TwentyWords, 3)), "", "en", Output("thrice")), CancellationToken.None);

        Assert.Equal(60, thrice.Words.Count);
        Assert.InRange(thrice.DurationSeconds / once.DurationSeconds, 2.7, 3.3);
    }

    [Fact]
    public async Task Faster_words_per_minute_give_shorter_audio()
    {
        var slow = await Provider(wordsPerMinute: 120).SynthesizeAsync(new VoiceRequest(TwentyWords, "", "en", Output("slow")), CancellationToken.None);
        var fast = await Provider(wordsPerMinute: 240).SynthesizeAsync(new VoiceRequest(TwentyWords, "", "en", Output("fast")), CancellationToken.None);

        Assert.InRange(slow.DurationSeconds / fast.DurationSeconds, 1.5, 2.5);
    }

    [Fact]
    public async Task Accented_words_are_all_timed_in_order()
    {
        const string text = "Café naïve résumé, déjà vu: São Paulo über façade.";

        var narration = await Provider().SynthesizeAsync(new VoiceRequest(text, "", "en", Output()), CancellationToken.None);

        Assert.Equal(text.Split(' '), narration.Words.Select(w => w.Word));
        AssertStrictlyIncreasing(narration);
    }

    [Theory]
    [InlineData("In 2026 we will ship 3.5 million units, up 12% from $40 last year.")]
    [InlineData("Launch day 🚀🚀 is here ✨ — are you ready? 🎉")]
    [InlineData("🚀")]
    [InlineData("... !!! ???")]
    [InlineData("日本語 テキスト and English ça marche")]
    [InlineData("tab\tseparated\nlines\r\nand\0nul")]
    public async Task Numbers_symbols_and_emoji_still_time_every_token(string text)
    {
        var narration = await Provider().SynthesizeAsync(new VoiceRequest(text, "", "en", Output()), CancellationToken.None);

        var tokens = text.Replace('\0', ' ').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(tokens, narration.Words.Select(w => w.Word));
        Assert.True(File.Exists(narration.LocalPath));
        AssertStrictlyIncreasing(narration);
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("pt-BR")]
    [InlineData("pt_br")]
    [InlineData("es-MX")]
    [InlineData("ar")]
    [InlineData("fr")]
    public async Task Speaks_the_rows_language_without_falling_back(string language)
    {
        var log = new ListLogger();

        var narration = await Provider(log).SynthesizeAsync(new VoiceRequest("Olá mundo, hello world, مرحبا بالعالم", "", language, Output()), CancellationToken.None);

        Assert.True(narration.DurationSeconds > 0.5);
        Assert.Equal(6, narration.Words.Count);
        Assert.DoesNotContain(log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Empty(narration.Notes ?? []);
    }

    [Theory]
    [InlineData("xx-YY")]
    [InlineData("")]
    [InlineData("en; rm -rf /")]
    public async Task Unknown_language_falls_back_to_English_with_a_warning(string language)
    {
        var log = new ListLogger();

        var narration = await Provider(log).SynthesizeAsync(new VoiceRequest("Hello there, world.", "", language, Output()), CancellationToken.None);

        Assert.Equal(3, narration.Words.Count);
        var warning = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("'en'", warning.Message, StringComparison.Ordinal);
        // No Language is the default, English; a language asked for and not spoken is a note for the row.
        if (language.Length == 0)
        {
            Assert.Empty(narration.Notes ?? []);
        }
        else
        {
            Assert.Contains($"no voice for Language={language}", Assert.Single(narration.Notes ?? []), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_voice_variant_changes_the_sound_and_an_unknown_voice_is_ignored()
    {
        var provider = Provider();
        var plain = await provider.SynthesizeAsync(new VoiceRequest(TwentyWords, "", "en", Output("plain")), CancellationToken.None);
        var female = await provider.SynthesizeAsync(new VoiceRequest(TwentyWords, "f3", "en", Output("f3")), CancellationToken.None);
        var openAiName = await provider.SynthesizeAsync(new VoiceRequest(TwentyWords, "alloy", "en", Output("alloy")), CancellationToken.None);

        Assert.NotEqual(Wav.Read(plain.LocalPath).Samples, Wav.Read(female.LocalPath).Samples);
        AssertSameTimings(plain, openAiName);
        Assert.Empty(female.Notes ?? []);
        Assert.StartsWith("Voice=alloy is not an espeak-ng voice", Assert.Single(openAiName.Notes ?? []), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("default", "en", "espeak:en")]
    [InlineData("espeak:en+f3", "en", "espeak:en+f3")]
    [InlineData("espeak:f3", "es", "espeak:es+f3")]
    [InlineData("espeak:es", "en", "espeak:es")]
    [InlineData("espeak:es+m1", "ja", "espeak:es+m1")]
    public async Task The_voice_column_picks_the_espeak_voice_and_variant(string voice, string language, string used)
    {
        var narration = await Provider().SynthesizeAsync(new VoiceRequest("Hola, buenos días.", voice, language, Output()), CancellationToken.None);

        Assert.Equal(used, narration.Voice);
        Assert.Empty(narration.Notes ?? []);
    }

    [Theory]
    [InlineData("openai:alloy", "Voice=openai:alloy needs the openai voice provider, which this deployment does not have; the narration uses espeak-ng's es voice")]
    [InlineData("elevenlabs:Rachel", "Voice=elevenlabs:Rachel needs the elevenlabs voice provider, which this deployment does not have; the narration uses espeak-ng's es voice")]
    [InlineData("espeak:nosuch", "Voice=espeak:nosuch is not an espeak-ng voice or voice variant (such as es, en+f3 or f3); the narration uses espeak-ng's es voice")]
    [InlineData("espeak:es+nosuch", "Voice=espeak:es+nosuch is not an espeak-ng voice variant (such as f3 or m1); the narration uses espeak-ng's es voice")]
    public async Task A_voice_this_deployment_cannot_speak_falls_back_to_espeak_and_the_note_names_both(string voice, string note)
    {
        var narration = await Provider().SynthesizeAsync(new VoiceRequest("Hola, buenos días.", voice, "es", Output()), CancellationToken.None);

        Assert.Equal("espeak:es", narration.Voice);
        Assert.Equal(note, Assert.Single(narration.Notes ?? []));
    }

    [Fact]
    public async Task A_reviewers_female_and_slower_give_the_f3_variant_and_a_longer_narration_of_the_same_text()
    {
        var provider = Provider();
        var before = await provider.SynthesizeAsync(new VoiceRequest(TwentyWords, "espeak:en+m1", "en", Output("before")), CancellationToken.None);
        var after = await provider.SynthesizeAsync(
            new VoiceRequest(TwentyWords, "espeak:en+m1", "en", Output("after"), SpeedFactor: 0.9, Gender: Core.Review.VoiceGender.Female), CancellationToken.None);

        Assert.Equal("espeak:en+m1", before.Voice);
        Assert.Equal("espeak:en+f3", after.Voice);
        Assert.Equal(before.Words.Select(w => w.Word), after.Words.Select(w => w.Word));
        // 0.9x the rate: about 11 % longer; the pauses do not stretch, so a little less.
        Assert.InRange(after.DurationSeconds / before.DurationSeconds, 1.06, 1.16);
    }

    [Fact]
    public async Task Japanese_kanji_are_read_as_kana_and_the_captions_keep_the_written_words()
    {
        var provider = Provider();
        var kanji = await provider.SynthesizeAsync(new VoiceRequest("観葉植物の 育て方を 紹介します。", "default", "ja", Output("kanji")), CancellationToken.None);
        var kana = await provider.SynthesizeAsync(new VoiceRequest("かんようしょくぶつの そだてかたを しょうかいします。", "default", "ja", Output("kana")), CancellationToken.None);

        // espeak-ng reading each kanji as "Chinese letter" made this three times as long.
        Assert.InRange(kanji.DurationSeconds / kana.DurationSeconds, 0.85, 1.15);
        Assert.Equal(["観葉植物の", "育て方を", "紹介します。"], kanji.Words.Select(w => w.Word));
        Assert.Equal("espeak:ja", kanji.Voice);
        AssertStrictlyIncreasing(kanji);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t ")]
    [InlineData("\0 \0")]
    public async Task Empty_text_is_an_argument_error(string text)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Provider().SynthesizeAsync(new VoiceRequest(text, "", "en", Output()), CancellationToken.None));

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public async Task Text_over_the_limit_is_an_argument_error()
    {
        var text = new string('a', EspeakVoiceProvider.MaxTextLength + 1);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Provider().SynthesizeAsync(new VoiceRequest(text, "", "en", Output()), CancellationToken.None));

        Assert.Contains("20000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_before_start_throws_and_writes_nothing()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Provider().SynthesizeAsync(new VoiceRequest(TwentyWords, "", "en", Output()), cancellation.Token));

        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public async Task Cancelled_during_synthesis_stops_and_the_engine_still_works_afterwards()
    {
        var provider = Provider();
        var longText = string.Join(' ', Enumerable.Repeat(TwentyWords, 150));
        Assert.True(longText.Length <= EspeakVoiceProvider.MaxTextLength);
        using var cancellation = new CancellationTokenSource();
        var started = Stopwatch.StartNew();

        var speaking = provider.SynthesizeAsync(new VoiceRequest(longText, "", "en", Output("long")), cancellation.Token);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(30));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => speaking);
        var afterwards = await provider.SynthesizeAsync(new VoiceRequest(TwentyWords, "", "en", Output("after")), CancellationToken.None);

        Assert.False(File.Exists(Output("long")));
        Assert.Equal(20, afterwards.Words.Count);
        Assert.True(afterwards.Words[0].Start < 0.05, "the next synthesis starts fresh, not with leftovers of the cancelled one");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Concurrent_calls_from_four_tasks_all_succeed_with_the_same_result()
    {
        var provider = Provider();
        var alone = await provider.SynthesizeAsync(new VoiceRequest(TwentyWords, "", "en", Output("alone")), CancellationToken.None);

        var together = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => provider.SynthesizeAsync(new VoiceRequest(TwentyWords, "", i % 2 == 0 ? "en" : "pt-BR", Output($"together-{i}")), CancellationToken.None))));

        Assert.All(together, narration => Assert.Equal(20, narration.Words.Count));
        AssertSameTimings(alone, together[0]);
        AssertSameTimings(alone, together[2]);
        Assert.True(Math.Abs(alone.DurationSeconds - together[1].DurationSeconds) > 0.1, "the Portuguese voice should not sound like the English one");
        Assert.Equal(4, together.Select(n => n.LocalPath).Distinct().Count());
    }

    [Fact]
    public async Task Overwrites_an_existing_file_and_leaves_no_temporary_files()
    {
        var output = Output();
        await File.WriteAllTextAsync(output, "old");

        var narration = await Provider().SynthesizeAsync(new VoiceRequest("Fresh audio.", "", "en", output), CancellationToken.None);

        Assert.Equal(Path.GetFullPath(output), narration.LocalPath);
        Assert.Equal(narration.DurationSeconds, Wav.Read(output).Samples.Length / 22050.0, 0.001);
        Assert.Equal([output], Directory.EnumerateFiles(folder));
    }

    [Fact]
    public async Task Creates_the_output_folder_when_missing()
    {
        var output = Path.Combine(folder, "nested", "deeper", "voice.wav");

        var narration = await Provider().SynthesizeAsync(new VoiceRequest("Hello.", "", "en", output), CancellationToken.None);

        Assert.True(File.Exists(narration.LocalPath));
    }

    private static EspeakVoiceProvider Provider(ILogger<EspeakVoiceProvider>? logger = null, int wordsPerMinute = 165)
    {
        var options = new ViralForgeOptions();
        options.Media.WordsPerMinute = wordsPerMinute;
        return new EspeakVoiceProvider(Options.Create(options), logger ?? NullLogger<EspeakVoiceProvider>.Instance);
    }

    private string Output(string name = "narration") => Path.Combine(folder, name + ".wav");

    // espeak varies its output by a few samples from one call to the next, so timings match to 30 ms (the drift adds up along a sentence).
    private static void AssertSameTimings(Narration expected, Narration actual)
    {
        Assert.Equal(expected.Words.Select(w => w.Word), actual.Words.Select(w => w.Word));
        Assert.All(expected.Words.Zip(actual.Words), pair => Assert.Equal(pair.First.Start, pair.Second.Start, 0.03));
        Assert.Equal(expected.Words[^1].End, actual.Words[^1].End, 0.03);

        // The silence espeak appends after the last word varies more, by up to about 50 ms.
        Assert.Equal(expected.DurationSeconds, actual.DurationSeconds, 0.1);
    }

    private static void AssertStrictlyIncreasing(Narration narration)
    {
        for (var i = 0; i < narration.Words.Count; i++)
        {
            var word = narration.Words[i];
            Assert.InRange(word.Start, 0, narration.DurationSeconds);
            Assert.InRange(word.End, word.Start, narration.DurationSeconds);
            if (i > 0)
            {
                Assert.True(word.Start > narration.Words[i - 1].Start, $"'{word.Word}' starts at {word.Start}, not after '{narration.Words[i - 1].Word}' at {narration.Words[i - 1].Start}");
            }
        }
    }

    private static double Rms(Wav wav, double fromSeconds, double toSeconds)
    {
        var from = Math.Clamp((int)(fromSeconds * wav.SampleRate), 0, wav.Samples.Length);
        var to = Math.Clamp((int)(toSeconds * wav.SampleRate), from, wav.Samples.Length);
        if (to == from)
        {
            return 0;
        }

        var sum = 0.0;
        for (var i = from; i < to; i++)
        {
            sum += (double)wav.Samples[i] * wav.Samples[i];
        }

        return Math.Sqrt(sum / (to - from));
    }

    private static async Task<string> Ffprobe(string path)
    {
        var start = new ProcessStartInfo("ffprobe")
        {
            ArgumentList = { "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels:format=duration", "-of", "json", path },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ffprobe failed: {errors}");
        return output;
    }

    /// <summary>A RIFF WAVE file read chunk by chunk, so a header that lies about its sizes fails the test.</summary>
    private sealed record Wav(int Channels, int SampleRate, int BitsPerSample, short[] Samples)
    {
        public static Wav Read(string path)
        {
            var bytes = File.ReadAllBytes(path).AsSpan();
            Assert.True(bytes[..4].SequenceEqual("RIFF"u8), "no RIFF tag");
            Assert.Equal(bytes.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]));
            Assert.True(bytes[8..12].SequenceEqual("WAVE"u8), "no WAVE tag");

            int? channels = null, rate = null, bits = null;
            var offset = 12;
            while (offset + 8 <= bytes.Length)
            {
                var id = bytes.Slice(offset, 4);
                var size = BinaryPrimitives.ReadInt32LittleEndian(bytes[(offset + 4)..]);
                var body = bytes.Slice(offset + 8, size);
                if (id.SequenceEqual("fmt "u8))
                {
                    Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(body));
                    channels = BinaryPrimitives.ReadInt16LittleEndian(body[2..]);
                    rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                    Assert.Equal(rate * channels * 2, BinaryPrimitives.ReadInt32LittleEndian(body[8..]));
                    bits = BinaryPrimitives.ReadInt16LittleEndian(body[14..]);
                }
                else if (id.SequenceEqual("data"u8))
                {
                    Assert.NotNull(rate);
                    var samples = new short[size / 2];
                    for (var i = 0; i < samples.Length; i++)
                    {
                        samples[i] = BinaryPrimitives.ReadInt16LittleEndian(body[(i * 2)..]);
                    }

                    Assert.Equal(bytes.Length, offset + 8 + size);
                    return new Wav(channels!.Value, rate.Value, bits!.Value, samples);
                }

                offset += 8 + size + (size & 1);
            }

            throw new Xunit.Sdk.XunitException("no data chunk");
        }
    }

    /// <summary>Keeps what the provider logs, so a test can see a fallback was reported.</summary>
    private sealed class ListLogger : ILogger<EspeakVoiceProvider>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}

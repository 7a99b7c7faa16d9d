using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.ElevenLabs;
using ViralForge.Adapters.Local;
using ViralForge.Adapters.OpenAI;
using ViralForge.Adapters.Voices;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Core.Providers;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;

namespace ViralForge.Adapters.Tests.Voices;

/// <summary>Which voice speaks a row, as registered from the settings, and the per-provider limits.</summary>
public sealed class VoiceRouterTests
{
    private const string ElevenLabsKey = "el_0123456789abcdef0123456789abcdef";
    private const string OpenAIKey = "sk-proj-0123456789abcdefghij";

    [Fact]
    public void Without_keys_every_row_is_spoken_by_espeak()
    {
        using var services = Services([]);
        var router = Assert.IsType<VoiceRouter>(services.GetRequiredService<IVoiceProvider>());

        Assert.IsType<EspeakVoiceProvider>(router.For("default"));
        Assert.IsType<EspeakVoiceProvider>(router.For("openai:alloy"));
        Assert.IsType<EspeakVoiceProvider>(router.For("elevenlabs:Rachel"));
        Assert.Null(services.GetService<ElevenLabsVoiceProvider>());
        Assert.Null(services.GetService<OpenAIVoiceProvider>());
    }

    [Fact]
    public void A_provider_with_its_key_speaks_its_rows_and_the_default_ones_and_one_without_falls_back_to_espeak()
    {
        using var services = Services(new() { ["ElevenLabs:ApiKey"] = ElevenLabsKey });
        var router = Assert.IsType<VoiceRouter>(services.GetRequiredService<IVoiceProvider>());

        Assert.IsType<ElevenLabsVoiceProvider>(router.For("elevenlabs:Rachel"));
        Assert.IsType<ElevenLabsVoiceProvider>(router.For("default"));
        Assert.IsType<EspeakVoiceProvider>(router.For("openai:alloy"));
        Assert.IsType<EspeakVoiceProvider>(router.For("espeak:en+f3"));
    }

    [Fact]
    public void The_configured_default_provider_speaks_default_rows()
    {
        using var services = Services(new() { ["ElevenLabs:ApiKey"] = ElevenLabsKey, ["OpenAI:ApiKey"] = OpenAIKey, ["Voices:DefaultProvider"] = "openai" });
        var router = Assert.IsType<VoiceRouter>(services.GetRequiredService<IVoiceProvider>());

        Assert.IsType<OpenAIVoiceProvider>(router.For("default"));
        Assert.IsType<ElevenLabsVoiceProvider>(router.For("elevenlabs:Rachel"));
        Assert.Equal("openai", router.DefaultProvider);
    }

    [Theory]
    [InlineData("OpenAI:ApiKey", "sk-abc\n")]
    [InlineData("ElevenLabs:ApiKey", "el_0123456789abcdef 0123456789")]
    [InlineData("ElevenLabs:ApiKey", "\"el_0123456789abcdef0123456789\"")]
    [InlineData("ElevenLabs:ApiKey", "el_short")]
    public void A_malformed_key_is_one_clear_line_naming_the_setting_the_same_as_the_script_writers(string setting, string key)
    {
        using var services = Services(new() { [setting] = key });

        var error = Assert.Throws<OptionsValidationException>(() => setting == ProviderKeys.OpenAI
            ? services.GetRequiredService<IOptions<OpenAIVoiceOptions>>().Value.ApiKey
            : services.GetRequiredService<IOptions<ElevenLabsOptions>>().Value.ApiKey);

        // One rule (ProviderKeys) and one message for every provider's key, OpenAIOptions' included.
        Assert.EndsWith(ProviderKeys.Malformed(setting), error.Message, StringComparison.Ordinal);
        Assert.StartsWith(setting + " is malformed", ProviderKeys.Malformed(setting), StringComparison.Ordinal);
        Assert.DoesNotContain(key.Trim('"', '\n'), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_asking_for_a_paid_voice_without_its_key_is_spoken_by_espeak_with_a_note()
    {
        using var services = Services([]);
        using var folder = new TempFolder();

        var narration = await services.GetRequiredService<IVoiceProvider>().SynthesizeAsync(
            new VoiceRequest("Water your plants.", "openai:alloy", "en", Path.Combine(folder.Path, "n.wav")), CancellationToken.None);

        Assert.StartsWith("espeak:", narration.Voice, StringComparison.Ordinal);
        Assert.True(narration.RetakesAreFree);
        Assert.Contains(narration.Notes!, n => n.Contains("openai:alloy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_limiter_holds_calls_over_the_concurrency_until_one_ends()
    {
        using var limiter = new VoiceLimiter(maxConcurrent: 1, requestsPerMinute: 1000);
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondStarted = false;

        var first = limiter.RunAsync(_ => release.Task, CancellationToken.None);
        var second = limiter.RunAsync(_ => { secondStarted = true; return Task.FromResult(2); }, CancellationToken.None);
        await Task.Delay(200);
        var startedWhileFirstRan = secondStarted;
        release.SetResult(1);

        Assert.False(startedWhileFirstRan);
        Assert.Equal(2, await second);
        Assert.Equal(1, await first);
    }

    [Fact]
    public async Task The_limiter_holds_calls_over_the_requests_per_minute()
    {
        using var limiter = new VoiceLimiter(maxConcurrent: 10, requestsPerMinute: 2);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await limiter.RunAsync(_ => Task.FromResult(1), CancellationToken.None);
        await limiter.RunAsync(_ => Task.FromResult(2), CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.RunAsync(_ => Task.FromResult(3), cancel.Token));
    }

    [Fact]
    public async Task One_provider_instance_holds_its_concurrency_across_rows()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/v2/voices").UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithBody("""{"voices":[{"voice_id":"v1","name":"Rachel"}],"has_more":false}"""));
        var tone = Convert.ToBase64String(await VoiceTesting.ToneAsync(0.3, "mp3"));
        server.Given(Request.Create().WithPath("/v1/text-to-speech/v1/with-timestamps").UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithDelay(TimeSpan.FromMilliseconds(400))
            .WithBody($$$"""{"audio_base64":"{{{tone}}}","alignment":{"characters":["H","i"],"character_start_times_seconds":[0,0.1],"character_end_times_seconds":[0.1,0.2]}}"""));
        var options = new ElevenLabsOptions { ApiKey = "k", BaseUrl = new Uri(server.Urls[0] + "/"), MaxConcurrentRequests = 1 };
        using var voice = new ElevenLabsVoiceProvider(new TestHttpClients(), Options.Create(options), VoiceTesting.Audio, new InMemoryBlobStore(), TimeProvider.System);
        using var folder = new TempFolder();
        await voice.ResolveVoiceAsync("Rachel", CancellationToken.None);

        var started = TimeProvider.System.GetTimestamp();
        await Task.WhenAll(
            voice.SynthesizeAsync(new VoiceRequest("Hi", "elevenlabs:Rachel", "en", Path.Combine(folder.Path, "a.wav")), CancellationToken.None),
            voice.SynthesizeAsync(new VoiceRequest("Hi", "elevenlabs:Rachel", "en", Path.Combine(folder.Path, "b.wav")), CancellationToken.None));

        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(780));
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions<ViralForgeOptions>();
        services.AddSingleton<IBlobStore, InMemoryBlobStore>();
        services.AddVoices(configuration);
        return services.BuildServiceProvider();
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Providers;

namespace ViralForge.Adapters.Tests;

/// <summary>The host's start-up lines naming each stage's provider, and the check of the paid providers' keys.</summary>
public sealed class ProviderReportTests
{
    [Fact]
    public async Task The_local_profile_says_one_line_per_stage_with_the_offline_providers()
    {
        var (report, logged) = Build(services => services.AddLocalAdapters(), []);

        await report.StartAsync(CancellationToken.None);

        string[] expected =
        [
            "trends: sample trends (offline)",
            "script: template writer (offline)",
            "visuals: ffmpeg backgrounds (offline)",
            "voice: espeak-ng (offline)",
            "render: ffmpeg in this process",
            "publish: local folder (offline)",
        ];
        Assert.Equal(expected, report.Lines);
        Assert.Equal(expected, logged);
    }

    [Fact]
    public void A_real_provider_registered_before_the_offline_ones_is_the_stage_s_line()
    {
        // As a paid adapter's registration does where its key is set: its choice first, then the offline fallbacks.
        var (report, _) = Build(
            services => services.AddProviderChoice(StageName.Script, "openai gpt-4o-mini").AddProviderChoice(StageName.Voice, "elevenlabs eleven_multilingual_v2").AddOfflineProviders(),
            [(ProviderKeys.OpenAI, "sk-proj-0123456789abcdefghij"), (ProviderKeys.ElevenLabs, "0123456789abcdef0123456789abcdef")]);

        Assert.Contains("script: openai gpt-4o-mini", report.Lines);
        Assert.Contains("voice: elevenlabs eleven_multilingual_v2", report.Lines);
        Assert.DoesNotContain(report.Lines, l => l.Contains("template writer", StringComparison.Ordinal) || l.Contains("espeak-ng", StringComparison.Ordinal));
    }

    [Fact]
    public void With_both_keys_the_profile_names_the_openai_script_and_the_paid_voices()
    {
        (string, string)[] keys = [(ProviderKeys.OpenAI, "sk-proj-0123456789abcdefghij"), (ProviderKeys.ElevenLabs, "0123456789abcdef0123456789abcdef")];
        var settings = Settings(keys);

        var (report, _) = Build(services => services.AddProfileAdapters(ViralForgeProfile.Local, settings), keys);

        Assert.Contains(report.Lines, l => l.StartsWith("script: openai ", StringComparison.Ordinal) && l.Contains("moderated by", StringComparison.Ordinal));
        Assert.Contains("voice: elevenlabs by default; also openai, espeak-ng by the Voice column", report.Lines);
    }

    [Fact]
    public void A_malformed_key_stops_registration_with_one_settings_line_per_key()
    {
        var settings = Settings([(ProviderKeys.OpenAI, "sk-proj-0123456789abcdefghij\n"), (ProviderKeys.ElevenLabs, "short")]);

        var error = Assert.Throws<ViralForgeSettingsException>(() => new ServiceCollection().AddLocalAdapters().AddProviderReport(settings));

        Assert.Equal(2, error.Problems.Count);
        Assert.StartsWith("OpenAI:ApiKey has a space, line break", error.Problems[0], StringComparison.Ordinal);
        Assert.StartsWith("ElevenLabs:ApiKey is 5 characters long", error.Problems[1], StringComparison.Ordinal);
        Assert.Equal(error.Problems, ServiceDefaults.StartupProblems.Of(error));
    }

    private static (ProviderReport Report, List<string> Logged) Build(Action<IServiceCollection> adapters, (string, string)[] settings)
    {
        var logged = new List<string>();
        var services = new ServiceCollection().AddLogging(b => b.AddProvider(new ListLoggerProvider(logged)));
        adapters(services);
        services.AddProviderReport(Settings(settings));
        return (services.BuildServiceProvider().GetRequiredService<ProviderReport>(), logged);
    }

    private static IConfiguration Settings((string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class ListLogger(string category, List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (category == typeof(ProviderReport).FullName)
                {
                    lines.Add(formatter(state, exception));
                }
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.OpenAI;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Trends;
using ViralForge.Testing.InMemory;

namespace ViralForge.Adapters.Tests.OpenAI;

/// <summary>The OpenAI providers as <see cref="OpenAIServiceCollectionExtensions.AddOpenAI"/> registers them, pointed at one test's WireMock server.</summary>
internal static class OpenAIServices
{
    /// <summary>A key shaped like a real one; tests check that no part of it leaks.</summary>
    public const string Key = "sk-proj-TESTKEY0123456789abcdefSECRET";

    public static ServiceProvider Create(WireMockServer server, ICostLedger ledger, RecordingLogs? logs = null, IDictionary<string, string?>? overrides = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["OpenAI:ApiKey"] = Key,
            ["OpenAI:Endpoint"] = server.Url + "/v1",
            ["OpenAI:Timeout"] = "00:00:05",
            ["OpenAI:RetryBaseDelay"] = "00:00:00.010",
            ["OpenAI:MaxRetries"] = "2",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs ?? new RecordingLogs()))
            .AddSingleton(Options.Create(new ViralForgeOptions()))
            .AddSingleton(ledger);
        services.AddOpenAI(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static VideoRequest Row(int durationSeconds = 30, string language = "en", string notes = "") =>
        new("Why cats knock things off tables", Platforms.YouTube, durationSeconds, "curious", "default", language, null, ["cats", "#CatFacts"], notes);

    public static TrendAnalysis Trends() => new(
        "pets", 40, 0.05, 0.06, 34, 22, 48,
        [new HookPattern("question", 12, 0.3, "Why do cats hate water?")],
        [new TagCount("cats", 20), new TagCount("cat behavior", 9)],
        ["Why do cats hate water?", "My cat vs the Christmas tree"]);

    public static TrendAnalysis NoTrends() => new("pets", 0, 0, 0, 0, 0, 0, [], [], []);

    public static IResponseBuilder Json(string body, int status = 200) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    /// <summary>The JSON bodies the server received on <paramref name="path"/>, in order.</summary>
    public static List<JsonNode> Bodies(WireMockServer server, string path) =>
        [.. server.LogEntries.Where(e => e.RequestMessage.Path == path).OrderBy(e => e.RequestMessage.DateTime).Select(e => JsonNode.Parse(e.RequestMessage.Body!)!)];
}

/// <summary>Keeps every log line with its exception, so a test can check that a secret never reaches a log.</summary>
internal sealed class RecordingLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new Logger(lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{eventId.Id} {formatter(state, exception)} {exception}");
    }
}

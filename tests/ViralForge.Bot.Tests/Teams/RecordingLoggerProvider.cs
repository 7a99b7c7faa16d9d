using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ViralForge.Bot.Tests.Teams;

/// <summary>Keeps every log line (category, event id, message), so a test can check why something was refused.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, int EventId, string Message)> lines = new();

    public IReadOnlyList<(string Category, int EventId, string Message)> Lines => [.. lines];

    public IEnumerable<string> Messages(int eventId) => lines.Where(l => l.EventId == eventId).Select(l => l.Message);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, int, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue((category, eventId.Id, formatter(state, exception)));
    }
}

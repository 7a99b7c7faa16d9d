using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ViralForge.ServiceDefaults;

namespace ViralForge.ServiceDefaults.Tests;

public sealed class CloudLoggingConsoleFormatterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 30, 0, TimeSpan.Zero);

    private static JsonElement Format(LogLevel level, IReadOnlyList<KeyValuePair<string, object?>> state, string message, Exception? exception = null)
    {
        var formatter = new CloudLoggingConsoleFormatter(new FakeTimeProvider(Now));
        var entry = new LogEntry<IReadOnlyList<KeyValuePair<string, object?>>>(level, "ViralForge.RenderJob.RenderJobRunner", new EventId(7001, "RenderFinished"), state, exception, (_, _) => message);
        using var writer = new StringWriter();
        formatter.Write(in entry, null, writer);
        var text = writer.ToString();
        Assert.EndsWith("\n", text);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries)); // one entry is one line
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public void Writes_the_fields_Cloud_Logging_reads_on_one_line()
    {
        var jobId = Guid.NewGuid();
        var json = Format(LogLevel.Warning, [new("JobId", jobId), new("ExitCode", 75), new("Detail", "say \"hi\""), new("{OriginalFormat}", "…")], "Render ended");

        Assert.Equal("WARNING", json.GetProperty("severity").GetString());
        Assert.Equal("Render ended", json.GetProperty("message").GetString());
        Assert.Equal("2026-03-01T12:30:00.0000000Z", json.GetProperty("time").GetString());
        Assert.Equal("ViralForge.RenderJob.RenderJobRunner", json.GetProperty("category").GetString());
        Assert.Equal(7001, json.GetProperty("eventId").GetInt32());
        var state = json.GetProperty("state");
        Assert.Equal(jobId.ToString(), state.GetProperty("JobId").GetString());
        Assert.Equal(75, state.GetProperty("ExitCode").GetInt32());
        Assert.Equal("say \"hi\"", state.GetProperty("Detail").GetString());
        Assert.False(state.TryGetProperty("{OriginalFormat}", out _));
    }

    [Fact]
    public void An_exception_goes_into_the_message_so_Error_Reporting_sees_the_stack()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("database is down");
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        var json = Format(LogLevel.Error, [], "Render failed", thrown);

        Assert.Equal("ERROR", json.GetProperty("severity").GetString());
        var message = json.GetProperty("message").GetString()!;
        Assert.StartsWith("Render failed\n", message.ReplaceLineEndings("\n"));
        Assert.Contains("System.InvalidOperationException: database is down", message);
        Assert.Contains(nameof(An_exception_goes_into_the_message_so_Error_Reporting_sees_the_stack), message);
        Assert.False(json.TryGetProperty("state", out _));
    }

    [Theory]
    [InlineData(LogLevel.Trace, "DEBUG")]
    [InlineData(LogLevel.Debug, "DEBUG")]
    [InlineData(LogLevel.Information, "INFO")]
    [InlineData(LogLevel.Warning, "WARNING")]
    [InlineData(LogLevel.Error, "ERROR")]
    [InlineData(LogLevel.Critical, "CRITICAL")]
    public void Levels_map_to_Cloud_Logging_severities(LogLevel level, string severity) =>
        Assert.Equal(severity, CloudLoggingConsoleFormatter.Severity(level));
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using ViralForge.Core.Ports;

namespace ViralForge.Cli;

/// <summary>
/// `vf bench queue`: no-op tasks through the real local queue (PostgreSQL table, LISTEN/NOTIFY, HTTP
/// dispatch with the Cloud Tasks headers, into this host). Latency is measured from the moment before
/// enqueue to the moment the handler starts, with tasks enqueued at a steady rate below capacity (so
/// the figure is the queue's own delay, not a backlog); throughput with all tasks enqueued at once.
/// Runs in a fresh scratch database.
/// </summary>
public static class QueueBenchmark
{
    private const string Queue = "bench-noop";

    public static async Task<int> RunAsync(int count, int ratePerSecond, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var database = await LocalRuntime.CreateScratchDatabaseAsync("viralforge_bench", cancellationToken);
        var starts = new ConcurrentDictionary<long, TimeSpan>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var expected = 0;
        var settings = new Dictionary<string, string?>
        {
            [Adapters.Postgres.PostgresConnection.EnvironmentVariable] = database,
            ["ViralForge:Queue:MaxConcurrentDispatches"] = "16",
        };
        await using var app = await LocalRuntime.StartAsync(settings, app => app.MapPost("/bench/noop", (HttpRequest request) =>
        {
            // The query carries the Stopwatch timestamp taken just before enqueue.
            var sent = long.Parse(request.Query["t"]!, CultureInfo.InvariantCulture);
            starts[sent] = Stopwatch.GetElapsedTime(sent);
            if (starts.Count >= Volatile.Read(ref expected))
            {
                done.TrySetResult();
            }
            return Results.Ok();
        }), cancellationToken);
        var queue = app.Services.GetRequiredService<ITaskQueue>();

        // One batch: enqueue `count` tasks (at `rate` per second, or all at once when 0) and wait until
        // the handler has seen every one of them.
        async Task RunBatchAsync(int count, int rate)
        {
            starts.Clear();
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref expected, count);
            var pace = Stopwatch.StartNew();
            var batch = Guid.NewGuid().ToString("N")[..8];
            for (var i = 0; i < count; i++)
            {
                if (rate > 0 && TimeSpan.FromSeconds((double)i / rate) - pace.Elapsed is { Ticks: > 0 } wait)
                {
                    await Task.Delay(wait, cancellationToken);
                }
                var sent = Stopwatch.GetTimestamp();
                await queue.EnqueueAsync(new QueueTask(Queue, $"{batch}-{i}", $"/bench/noop?t={sent}", []), cancellationToken);
            }
            await done.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        }

        // Warm up connections, JIT and the HTTP pool so the first measured task is not a cold start.
        await RunBatchAsync(50, rate: 0);

        console.MarkupLineInterpolated($"latency: {count} no-op tasks at {ratePerSecond}/s");
        await RunBatchAsync(count, ratePerSecond);
        var latencies = starts.Values.Select(t => t.TotalMilliseconds).Order().ToArray();

        console.MarkupLineInterpolated($"throughput: {count} no-op tasks enqueued at once");
        var burst = Stopwatch.StartNew();
        await RunBatchAsync(count, rate: 0);
        burst.Stop();

        console.WriteLine($"enqueue-to-start latency p50: {Percentile(latencies, 0.50):0.0} ms");
        console.WriteLine($"enqueue-to-start latency p99: {Percentile(latencies, 0.99):0.0} ms");
        console.WriteLine($"enqueue-to-start latency max: {latencies[^1]:0.0} ms");
        console.WriteLine($"throughput: {count / burst.Elapsed.TotalSeconds:0} tasks/s ({count} tasks in {burst.Elapsed.TotalSeconds:0.00} s)");
        return 0;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

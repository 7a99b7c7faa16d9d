using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ViralForge.Adapters.Postgres;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Postgres;

/// <summary>One delivery as the endpoint saw it.</summary>
public sealed record Delivery(string TaskName, string Queue, int RetryCount, int ExecutionCount, string? Eta, string? Authorization, DateTimeOffset At);

/// <summary>
/// A real host on a loopback port with the real dispatcher and queue, over a test database. The
/// endpoint answers with whatever the test's function says.
/// </summary>
public sealed class QueueHarness : IAsyncDisposable
{
    public const string Token = "test-token-0123456789abcdef0123456789abcdef";

    private readonly WebApplication app;

    private QueueHarness(WebApplication app, ITaskQueue queue)
    {
        this.app = app;
        Queue = queue;
    }

    public ConcurrentQueue<Delivery> Deliveries { get; } = new();

    public ITaskQueue Queue { get; }

    public static async Task<QueueHarness> StartAsync(TestDatabase db, Func<Delivery, int> answer, Action<QueueOptions>? configure = null, TimeSpan? handlerTakes = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(db.DataSource);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<ViralForgeOptions>().Configure(o =>
        {
            o.Queue.MinBackoff = TimeSpan.FromMilliseconds(200);
            o.Queue.MaxBackoff = TimeSpan.FromSeconds(5);
            o.Queue.MaxAttempts = 4;
            o.Queue.Lease = TimeSpan.FromSeconds(1);
            configure?.Invoke(o.Queue);
        });
        builder.Services.AddLocalTaskQueue(Token);
        var app = builder.Build();
        QueueHarness? harness = null;
        app.MapPost("/work", async (HttpRequest request) =>
        {
            var delivery = new Delivery(
                request.Headers["X-CloudTasks-TaskName"].ToString(),
                request.Headers["X-CloudTasks-QueueName"].ToString(),
                int.Parse(request.Headers["X-CloudTasks-TaskRetryCount"].ToString(), CultureInfo.InvariantCulture),
                int.Parse(request.Headers["X-CloudTasks-TaskExecutionCount"].ToString(), CultureInfo.InvariantCulture),
                request.Headers["X-CloudTasks-TaskETA"].FirstOrDefault(),
                request.Headers.Authorization.FirstOrDefault(),
                TimeProvider.System.GetUtcNow());
            harness!.Deliveries.Enqueue(delivery);
            if (handlerTakes is { } busy)
            {
                await Task.Delay(busy); // slow work that does not block a pool thread (as real handlers await I/O)
            }
            return Results.StatusCode(answer(delivery));
        });
        await app.StartAsync();
        harness = new QueueHarness(app, app.Services.GetRequiredService<ITaskQueue>());
        app.Services.GetRequiredService<LocalQueueTarget>().SetBaseAddress(new Uri(app.Urls.First()));
        return harness;
    }

    public Task<EnqueueResult> EnqueueAsync(string name, DateTimeOffset? at = null) =>
        Queue.EnqueueAsync(new QueueTask("q-test", name, "/work", "{}"u8.ToArray(), at), CancellationToken.None);

    public async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition())
        {
            await Task.Delay(20, cts.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

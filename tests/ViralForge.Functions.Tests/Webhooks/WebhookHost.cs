using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ViralForge.Functions.Webhooks;
using ViralForge.Testing;

namespace ViralForge.Functions.Tests.Webhooks;

/// <summary>
/// The real functions host with the webhook endpoints in a bare /v1 group (task F's authenticated group takes its place
/// when merged), the local queue dispatching, and the vf-webhooks queue retrying quickly.
/// </summary>
internal sealed class WebhookHost : IAsyncDisposable
{
    private WebhookHost(WebApplication app, TestDatabase db, TempFolder folder)
    {
        App = app;
        Database = db;
        Folder = folder;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public WebApplication App { get; }

    public TestDatabase Database { get; }

    public TempFolder Folder { get; }

    public HttpClient Client { get; }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<WebhookHost> StartAsync(bool allowPrivateNetworks)
    {
        var db = await TestDatabase.CreateAsync();
        var folder = new TempFolder();
        var app = FunctionsApp.Create([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["VF_DATABASE_URL"] = db.ConnectionString,
                ["VF_LOCAL_TASK_TOKEN"] = TestHost.Token,
                ["ViralForge:WorkFolder"] = folder.Path,
                ["ViralForge:Review:Mode"] = "auto",
                ["ViralForge:Queue:RunDispatcher"] = "true",
                ["ViralForge:Queue:Queues:vf-webhooks:MaxAttempts"] = "5",
                ["ViralForge:Queue:Queues:vf-webhooks:MinBackoff"] = "00:00:00.300",
                ["ViralForge:Queue:Queues:vf-webhooks:MaxBackoff"] = "00:00:01",
                ["ViralForge:Webhooks:AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false",
            });
        }, app => WebhookEndpoints.MapWebhookEndpoints(app.MapGroup("/v1")));
        await app.StartAsync();
        return new WebhookHost(app, db, folder);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Database.DisposeAsync();
        Folder.Dispose();
    }
}

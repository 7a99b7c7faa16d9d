using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.Tasks;
using ViralForge.Core;

namespace ViralForge.Adapters.Tests.Google.Tasks;

/// <summary>The Cloud Tasks adapter as production registers it, pointed at one test's WireMock server.</summary>
internal static class CloudTasksServices
{
    public const string Token = "test-access-token";
    public const string QueuePath = "/v2/projects/vf-test/locations/europe-west1/queues";
    public const string RenderService = "https://vf-render-abc123-ew.a.run.app";
    public const string Invoker = "vf-invoker@vf-test.iam.gserviceaccount.com";

    public static ServiceProvider Create(WireMockServer server, IDictionary<string, string?>? overrides = null, Action<ViralForgeOptions>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Google:Tasks:ProjectId"] = "vf-test",
            ["Google:Tasks:Location"] = "europe-west1",
            ["Google:Tasks:BaseAddress"] = server.Url + "/",
            ["Google:Tasks:InvokerServiceAccount"] = Invoker,
            ["Google:Tasks:ServiceUrls:render"] = RenderService,
            ["Google:Tasks:UrlTemplate"] = "https://vf-{stage}-abc123-ew.a.run.app",
            ["Google:Tasks:AttemptTimeout"] = "00:00:05",
            ["Google:Tasks:RetryBaseDelay"] = "00:00:00.010",
            ["Google:Tasks:MaxRetryAttempts"] = "3",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IGoogleAccessTokenSource>(new FixedTokenSource(Token));
        services.AddOptions<ViralForgeOptions>().Configure(o => settings?.Invoke(o));
        services.AddCloudTasksQueue(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

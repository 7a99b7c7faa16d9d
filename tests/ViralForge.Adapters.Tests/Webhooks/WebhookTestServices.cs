using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.Webhooks;
using ViralForge.Core;

namespace ViralForge.Adapters.Tests.Webhooks;

/// <summary>A DNS server played by the test: each lookup takes the next answer, the last one repeating (rebinding); none: no address.</summary>
internal sealed class ScriptedResolver(params string[][] answers) : IHostResolver
{
    private int lookups;

    public int Lookups => Volatile.Read(ref lookups);

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref lookups) - 1;
        var answer = answers.Length == 0 ? [] : answers[Math.Min(n, answers.Length - 1)];
        return Task.FromResult(answer.Select(IPAddress.Parse).ToArray());
    }
}

/// <summary>The webhook adapters as a host registers them (AddWebhooks), with the test's resolver and settings.</summary>
internal static class WebhookTestServices
{
    public static ServiceProvider Build(IHostResolver resolver, bool allowPrivateNetworks, TimeSpan? timeout = null, ViralForgeProfile profile = ViralForgeProfile.Local)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ViralForge:Webhooks:AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false",
            ["ViralForge:Webhooks:Timeout"] = (timeout ?? TimeSpan.FromSeconds(5)).ToString(),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(resolver);
        services.AddWebhooks(profile, configuration);
        return services.BuildServiceProvider();
    }
}

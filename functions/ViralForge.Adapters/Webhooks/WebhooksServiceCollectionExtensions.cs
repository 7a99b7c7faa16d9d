using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Postgres;
using ViralForge.Core;
using ViralForge.Core.Webhooks;
using ViralForge.ServiceDefaults;

namespace ViralForge.Adapters.Webhooks;

/// <summary>Registers webhooks: the core's emitter and deliverer, the PostgreSQL store, the SSRF guard and the guarded HTTP sender.</summary>
public static class WebhooksServiceCollectionExtensions
{
    public const string HttpClientName = "webhooks";

    public static IServiceCollection AddWebhooks(this IServiceCollection services, ViralForgeProfile profile, IConfiguration configuration)
    {
        services.AddWebhookEvents(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.AddSingleton<IValidateOptions<WebhookOptions>>(new WebhookProfileValidator(profile));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWebhookStore, PostgresWebhooks>();
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.TryAddSingleton(sp => new WebhookAddressGuard(sp.GetRequiredService<IHostResolver>(), sp.GetRequiredService<IOptions<WebhookOptions>>(), profile));
        services.AddHttpClient<IWebhookSender, HttpWebhookSender>(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Every connection goes through the guard, on the address it resolves at that moment.
                ConnectCallback = sp.GetRequiredService<WebhookAddressGuard>().ConnectAsync,
                // A redirect could lead anywhere, and a proxy would make the guard check the proxy instead of the receiver.
                AllowAutoRedirect = false,
                UseProxy = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            })
            // The queue retries (vf-webhooks, with its day-long backoff); an attempt only needs its timeout.
            .AddRetryAndAttemptTimeout<WebhookOptions>(HttpClientName, _ => null, o => o.Timeout);
        return services;
    }
}

/// <summary>Checks the attributes of <see cref="WebhookOptions"/> (source-generated).</summary>
[OptionsValidator]
public sealed partial class WebhookOptionsValidator : IValidateOptions<WebhookOptions>;

/// <summary>Refuses AllowPrivateNetworks under the gcp profile, where it would reopen the SSRF hole.</summary>
public sealed class WebhookProfileValidator(ViralForgeProfile profile) : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AllowPrivateNetworks && profile == ViralForgeProfile.Gcp
            ? ValidateOptionsResult.Fail($"{WebhookOptions.SectionName}:AllowPrivateNetworks is for the local profile only; under gcp webhooks go to public addresses. Remove the setting.")
            : ValidateOptionsResult.Success;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ViralForge.Core.Webhooks;

/// <summary>Registers the core of webhooks: the options, the emitter behind <see cref="IWebhookEvents"/> and the deliverer.</summary>
public static class WebhooksServiceCollectionExtensions
{
    public static IServiceCollection AddWebhookEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IWebhookEvents, WebhookEmitter>();
        services.AddSingleton<WebhookDeliverer>();
        return services;
    }
}

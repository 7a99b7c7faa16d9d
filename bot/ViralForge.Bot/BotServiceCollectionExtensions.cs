using ViralForge.Bot.LocalPage;
using ViralForge.Bot.Review;

namespace ViralForge.Bot;

/// <summary>
/// The review bot's registrations and endpoints, each surface in its own folder (Review/, Slack/, Teams/, LocalPage/).
/// Call AddReviewBot in the host's configure step (before the adapters, so its review channel stands) and MapReviewBot
/// with the endpoints.
/// </summary>
public static class BotServiceCollectionExtensions
{
    public static IServiceCollection AddReviewBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ReviewDesk>();
        services.AddLocalReviewPage();
        return services;
    }

    public static IEndpointRouteBuilder MapReviewBot(this IEndpointRouteBuilder app) => app.MapLocalReviewPage();
}

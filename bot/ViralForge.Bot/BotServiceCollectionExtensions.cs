using ViralForge.Bot.Review;
using ViralForge.Bot.Teams;

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
        services.AddTeamsReview(configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapReviewBot(this IEndpointRouteBuilder app) => app.MapTeamsMessages();
}

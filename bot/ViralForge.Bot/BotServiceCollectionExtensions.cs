using ViralForge.Bot.LocalPage;
using ViralForge.Bot.Slack;
using ViralForge.Bot.Teams;

namespace ViralForge.Bot;

/// <summary>
/// The review bot's surfaces on top of the review core that every host registers (AddReview, with the core): the
/// local review page, and Slack and Teams (each its poster and endpoint, when its settings are there), each in its own
/// folder. The review task endpoints are the functions host's. Call AddReviewBot in the host's configure step and
/// MapReviewBot with the endpoints; neither depends on the order of the other registrations.
/// </summary>
public static class BotServiceCollectionExtensions
{
    public static IServiceCollection AddReviewBot(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddLocalReviewPage();
        services.AddSlackReview(configuration);
        services.AddTeamsReview(configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapReviewBot(this IEndpointRouteBuilder app)
    {
        app.MapSlackInteractions();
        app.MapTeamsMessages();
        app.MapLocalReviewPage();
        return app;
    }
}

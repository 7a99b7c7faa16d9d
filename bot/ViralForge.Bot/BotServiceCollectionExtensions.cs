using ViralForge.Bot.LocalPage;
using ViralForge.Bot.Review;
using ViralForge.Bot.Slack;
using ViralForge.Bot.Teams;
using ViralForge.Core;
using ViralForge.Core.Ports;

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
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<ReviewDesk>();
        services.AddSingleton<ReviewTasks>();
        services.AddLocalReviewPage();
        // Only in bot mode: auto and terminal keep the adapters' channels (AddLocalAdapters uses TryAdd, so this stands).
        if (configuration[$"{ViralForgeOptions.SectionName}:Review:Mode"] == "bot")
        {
            services.AddSingleton<IReviewChannel, ChatReviewChannel>();
        }
        // Each chat surface registers its poster and endpoint only when its settings are there.
        services.AddSlackReview(configuration);
        services.AddTeamsReview(configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapReviewBot(this IEndpointRouteBuilder app)
    {
        app.MapReviewTaskEndpoints();
        app.MapSlackInteractions();
        app.MapTeamsMessages();
        app.MapLocalReviewPage();
        return app;
    }
}

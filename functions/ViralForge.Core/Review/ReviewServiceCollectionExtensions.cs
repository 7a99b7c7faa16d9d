using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Core.Ports;

namespace ViralForge.Core.Review;

/// <summary>
/// The review core, the same on every host (functions, render job, bot): the cards, the decisions' application, the
/// desk, the review tasks, and the channel Review:Mode names. Chat surfaces only add <see cref="IReviewPoster"/>s.
/// </summary>
public static class ReviewServiceCollectionExtensions
{
    public static IServiceCollection AddReview(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<ReviewCards>();
        services.AddSingleton<ReviewDecisions>();
        services.AddSingleton<ReviewDesk>();
        services.AddSingleton<ReviewTasks>();
        services.AddSingleton<ScriptReviews>();
        // The one place a mode picks its channel. Only "auto" approves by itself; any other word waits for a person
        // (start-up validation refuses a word that is not a mode).
        switch (configuration[$"{ViralForgeOptions.SectionName}:Review:Mode"] ?? "auto")
        {
            case "auto":
                services.AddSingleton<IReviewChannel, AutoApproveReviewChannel>();
                break;
            case "bot":
                services.AddSingleton<IReviewChannel, ChatReviewChannel>();
                break;
            default:
                services.AddSingleton<IReviewChannel, DeferredReviewChannel>();
                break;
        }
        return services;
    }
}

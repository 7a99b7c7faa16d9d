using System.Text.Json.Serialization;
using ViralForge.Adapters.YouTube;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions;

/// <summary>
/// POST /trends/refresh: one trend refresh pass (<see cref="YouTubeTrendsRefresher"/>), for the vf-trends-refresh Cloud
/// Scheduler job in production. Behind the same inbound auth as the stage endpoints, so only the invoker account's
/// OIDC token reaches it. Without YouTube:ApiKey there is nothing to refresh and it says so.
/// </summary>
public static class TrendsRefreshEndpoints
{
    public const string Path = "/trends/refresh";

    public static void MapTrendsRefreshEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (IServiceProvider services, CancellationToken cancellationToken) =>
                services.GetService<YouTubeTrendsRefresher>() is { } refresher
                    ? Results.Json(await refresher.RefreshOnceAsync(cancellationToken), TrendsRefreshJson.Default.TrendRefreshReport)
                    : Results.Json(
                        new TrendRefreshReport(0, 0, 0, 0, 0, 0, $"{YouTubeTrendsOptions.ApiKeySetting} is not set: trends come from the offline sample, which needs no refresh"),
                        TrendsRefreshJson.Default.TrendRefreshReport))
            .AddEndpointFilter<AuthenticateCaller>()
            .WithName("trends-refresh");
    }
}

/// <summary>Source-generated JSON of the refresh answer.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TrendRefreshReport))]
internal sealed partial class TrendsRefreshJson : JsonSerializerContext;

using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.ServiceDefaults;

namespace ViralForge.Adapters.Google.CloudRun;

/// <summary>Registers the Cloud Run jobs client, the render job launcher and the renderer that renders through them.</summary>
public static class CloudRunServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="CloudRunJobsClient"/> and <see cref="RenderJobLauncher"/>, with settings from Google:CloudRun (validated at
    /// start-up) and Application Default Credentials unless an <see cref="IGoogleAccessTokenSource"/> is already registered.
    /// </summary>
    public static IServiceCollection AddCloudRunRenderJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGoogleApiBasics<CloudRunOptions, CloudRunOptionsValidator>(configuration, CloudRunOptions.SectionName);
        services.AddHttpClient(CloudRunJobsClient.HttpClientName).AddGoogleResilience<CloudRunOptions>(
            o => o.BaseAddress,
            o => ViralForgeResilience.ExponentialRetry(o.MaxRetryAttempts, o.RetryBaseDelay,
                args => ValueTask.FromResult(args.Context.GetRequestMessage()?.Method == HttpMethod.Get
                    ? HttpClientResiliencePredicates.IsTransient(args.Outcome)
                    : CannotHaveRun(args.Outcome))),
            o => o.AttemptTimeout);

        services.AddSingleton<CloudRunJobsClient>();
        services.AddSingleton<RenderJobLauncher>();
        services.TryAddSingleton<IRenderer, CloudRunRenderer>();
        // A render delivery here watches its execution for RenderWait, however short the video: a deadline sized from the
        // video alone would abandon deliveries that are only waiting, and each abandonment spends an attempt.
        // Read from the configuration, not IOptions<CloudRunOptions>: that would validate the Cloud Run settings whenever
        // ViralForge's are read, and a host that never renders (vf-migrate) does not set them. A malformed value is left to
        // the Cloud Run options' own validation to report.
        var renderWait = TimeSpan.TryParse(configuration[$"{CloudRunOptions.SectionName}:{nameof(CloudRunOptions.RenderWait)}"], System.Globalization.CultureInfo.InvariantCulture, out var configured)
            ? configured
            : new CloudRunOptions().RenderWait;
        services.AddOptions<ViralForgeOptions>().PostConfigure(settings =>
        {
            var floor = renderWait + TimeSpan.FromMinutes(1);
            floor = floor < QueueOptions.MaxDispatchDeadline ? floor : QueueOptions.MaxDispatchDeadline;
            if (settings.Queue.RenderDeadlineFloor < floor)
            {
                settings.Queue.RenderDeadlineFloor = floor;
            }
        });
        return services;
    }

    /// <summary>
    /// jobs:run makes a new execution every time it gets through, so a POST is repeated only when it cannot have: quota
    /// refused it (429), or no connection was ever made. A 5xx or a timeout may hide a started execution; the caller's
    /// retry goes through <see cref="RenderJobLauncher"/>, which looks for it first.
    /// </summary>
    private static bool CannotHaveRun(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests
        || outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
}

using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Google.Storage;

/// <summary>Registers Cloud Storage as the blob store.</summary>
public static class CloudStorageServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="GcsBlobStore"/> as <see cref="IBlobStore"/>, with settings from Google:Storage (validated at start-up),
    /// read URLs signed with Google:Storage:SigningKeyFile when set and through IAM signBlob otherwise, and Application
    /// Default Credentials unless an <see cref="IGoogleAccessTokenSource"/> is already registered.
    /// </summary>
    public static IServiceCollection AddCloudStorageBlobStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CloudStorageOptions>()
            .Bind(configuration.GetSection(CloudStorageOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CloudStorageOptions>, CloudStorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGoogleAccessTokenSource, ApplicationDefaultTokenSource>();
        services.TryAddTransient<GoogleAuthHandler>();

        AddRetriedClient(services, GcsBlobStore.HttpClientName, o => o.BaseAddress);
        AddRetriedClient(services, IamSignBlobSigner.HttpClientName, o => o.IamCredentialsBaseAddress);
        services.AddHttpClient(GcsBlobStore.UploadHttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            // 308 is Cloud Storage's "Resume Incomplete" here, not a redirect to follow.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
            .AddHttpMessageHandler<GoogleAuthHandler>();

        services.TryAddSingleton<IUrlSigner>(provider =>
        {
            var o = provider.GetRequiredService<IOptions<CloudStorageOptions>>().Value;
            return string.IsNullOrWhiteSpace(o.SigningKeyFile)
                ? ActivatorUtilities.CreateInstance<IamSignBlobSigner>(provider)
                : ServiceAccountKeySigner.FromKeyFile(o.SigningKeyFile);
        });
        services.AddSingleton<GcsBlobStore>();
        services.AddSingleton<IBlobStore>(provider => provider.GetRequiredService<GcsBlobStore>());
        return services;
    }

    private static void AddRetriedClient(IServiceCollection services, string name, Func<CloudStorageOptions, Uri> baseAddress)
    {
        var http = services.AddHttpClient(name, (provider, client) =>
        {
            client.BaseAddress = baseAddress(provider.GetRequiredService<IOptions<CloudStorageOptions>>().Value);
            // The resilience handler times each attempt; HttpClient's own 100 s would cut a long download short.
            client.Timeout = Timeout.InfiniteTimeSpan;
        });
        // Outside the auth handler, so every attempt asks for a current token.
        http.AddResilienceHandler(name, (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<CloudStorageOptions>>().Value;
            if (o.MaxRetryAttempts > 0)
            {
                // Everything sent through these clients can be repeated: reads, deletes of generation-scoped keys,
                // starting an upload session, signing.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = o.MaxRetryAttempts,
                    Delay = o.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                });
            }
            pipeline.AddTimeout(o.AttemptTimeout);
        });
        http.AddHttpMessageHandler<GoogleAuthHandler>();
    }
}

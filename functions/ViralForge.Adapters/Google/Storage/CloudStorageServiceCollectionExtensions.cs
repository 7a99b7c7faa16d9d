using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ViralForge.Core.Ports;
using ViralForge.ServiceDefaults;

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
        services.AddGoogleApiBasics<CloudStorageOptions, CloudStorageOptionsValidator>(configuration, CloudStorageOptions.SectionName);

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
        services.TryAddSingleton<IBlobStore>(provider => provider.GetRequiredService<GcsBlobStore>());
        return services;
    }

    private static void AddRetriedClient(IServiceCollection services, string name, Func<CloudStorageOptions, Uri> baseAddress) =>
        services.AddHttpClient(name).AddGoogleResilience<CloudStorageOptions>(
            baseAddress,
            // Everything sent through these clients can be repeated: reads, deletes of generation-scoped keys,
            // starting an upload session, signing.
            o => ViralForgeResilience.ExponentialRetry(o.MaxRetryAttempts, o.RetryBaseDelay),
            o => o.AttemptTimeout);
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.TikTok;
using ViralForge.Adapters.YouTube;
using ViralForge.Core;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Accounts;

/// <summary>Registers the token vault and <see cref="IPlatformTokens"/>, and the TikTok publisher when TikTok:ClientKey is set.</summary>
public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// The accounts (sections Accounts, Publishing, YouTube's and TikTok's OAuth clients) over the NpgsqlDataSource of
    /// <see cref="ServiceCollectionExtensions.AddPostgresStore"/>. The key is read when the vault is first used, so a
    /// deployment that publishes nowhere never needs one; in the gcp profile it must come from Accounts:EncryptionKey.
    /// </summary>
    public static IServiceCollection AddPlatformAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountsOptions>().Bind(configuration.GetSection(AccountsOptions.SectionName)).ValidateOnStart();
        if (ViralForgeProfiles.Read(configuration) == ViralForgeProfile.Gcp)
        {
            // A container's disk is not kept: a key file made there would be lost with the instance, and every stored
            // token with it. In gcp the key comes from Secret Manager or not at all (AccountKey says which setting).
            services.PostConfigure<AccountsOptions>(o => o.KeyFile = "");
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccountsOptions>, AccountsOptionsValidator>());
        services.AddOptions<PublishingAccountsOptions>().Bind(configuration.GetSection(PublishingAccountsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PublishingAccountsOptions>, PublishingAccountsOptionsValidator>());
        services.AddOptions<YouTubeAccountOptions>().Bind(configuration.GetSection(YouTubeAccountOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<YouTubeAccountOptions>, YouTubeAccountOptionsValidator>());
        services.AddTikTokOptions(configuration);
        services.AddHttpClient(PlatformOAuth.HttpClientName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => AccountKey.Load(sp.GetRequiredService<IOptions<AccountsOptions>>().Value));
        services.TryAddSingleton<TokenCipher>();
        services.TryAddSingleton<AccountVault>();
        services.TryAddSingleton<PlatformOAuth>();
        services.TryAddSingleton<PlatformTokens>();
        services.TryAddSingleton<IPlatformTokens>(sp => sp.GetRequiredService<PlatformTokens>());
        return services;
    }

    /// <summary>The TikTok publisher as an <see cref="IPlatformPublisher"/>, when TikTok:ClientKey is set (the publish router picks it up).</summary>
    public static IServiceCollection AddTikTok(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTikTokOptions(configuration);
        if (string.IsNullOrEmpty(configuration[$"{TikTokOptions.SectionName}:{nameof(TikTokOptions.ClientKey)}"]))
        {
            return services;
        }
        services.AddHttpClient(TikTokPublisher.HttpClientName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformPublisher, TikTokPublisher>());
        services.AddTikTokVideoQuery();
        return services;
    }

    private static IServiceCollection AddTikTokOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TikTokOptions>().Bind(configuration.GetSection(TikTokOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TikTokOptions>, TikTokOptionsValidator>());
        return services;
    }
}

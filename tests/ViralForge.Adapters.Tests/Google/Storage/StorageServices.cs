using System.Security.Cryptography;
using Google.Apis.Auth.OAuth2;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.Storage;

namespace ViralForge.Adapters.Tests.Google.Storage;

/// <summary>The Cloud Storage adapter as production registers it, pointed at one test's WireMock server.</summary>
internal static class StorageServices
{
    public const string Bucket = "vf-test-bucket";
    public const string Signer = "vf-signer@vf-test.iam.gserviceaccount.com";
    public const int Chunk = CloudStorageOptions.ChunkGranularity;

    /// <summary>A key made for this test run: the private half signs, the public half checks.</summary>
    public static RSA Key { get; } = RSA.Create(2048);

    public static ServiceAccountCredential Credential { get; } =
        new(new ServiceAccountCredential.Initializer(Signer).FromPrivateKey(Key.ExportPkcs8PrivateKeyPem()));

    /// <param name="keySigner">Sign with <see cref="Credential"/> in process; false signs through IAM signBlob on the server.</param>
    /// <param name="network">Answers the upload client loses on the way back.</param>
    public static ServiceProvider Create(
        WireMockServer server, IDictionary<string, string?>? overrides = null, TimeProvider? time = null, bool keySigner = true, NetworkTrouble? network = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Google:Storage:Bucket"] = Bucket,
            ["Google:Storage:BaseAddress"] = server.Url + "/",
            ["Google:Storage:IamCredentialsBaseAddress"] = server.Url + "/",
            ["Google:Storage:SigningServiceAccountEmail"] = Signer,
            ["Google:Storage:ChunkSize"] = Chunk.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Google:Storage:AttemptTimeout"] = "00:00:05",
            ["Google:Storage:RetryBaseDelay"] = "00:00:00.010",
            ["Google:Storage:MaxRetryAttempts"] = "3",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IGoogleAccessTokenSource>(new FixedTokenSource("test-access-token"));
        if (time is not null)
        {
            services.AddSingleton(time);
        }
        if (keySigner)
        {
            services.AddSingleton<IUrlSigner>(new ServiceAccountKeySigner(Credential));
        }
        services.AddCloudStorageBlobStore(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        var trouble = network ?? new NetworkTrouble();
        services.AddHttpClient(GcsBlobStore.UploadHttpClientName).AddHttpMessageHandler(() => new TestNetwork(trouble));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A file of <paramref name="size"/> bytes that differ by position, so a misplaced chunk shows.</summary>
    public static byte[] Content(int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)((i * 31) + (i >> 8));
        }
        return bytes;
    }
}

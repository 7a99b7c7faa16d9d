using System.Collections;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.Google;
using ViralForge.Functions.Tests.Auth;

namespace ViralForge.Functions.Tests.Simulated;

/// <summary>
/// What every gcp-profile pipeline test sets up the same way: the host's settings pointing every Google client at a
/// <see cref="SimulatedGoogleCloud"/>, fixed credentials, and the render job's environment for a jobs:run.
/// </summary>
public static class GcpPipelineSettings
{
    /// <summary>The service account Cloud Tasks signs its calls as.</summary>
    public const string Invoker = "vf-tasks-invoker@viralforge-test.iam.gserviceaccount.com";

    /// <summary>The gcp profile at a small frame (360x640), every Google service at <paramref name="google"/>, short polls and flushes.</summary>
    public static Dictionary<string, string?> For(SimulatedGoogleCloud google, string url, string workFolder)
    {
        ArgumentNullException.ThrowIfNull(google);
        return new()
        {
            ["ViralForge:Profile"] = "gcp",
            ["ViralForge:WorkFolder"] = workFolder,
            ["ViralForge:Media:Width"] = "360",
            ["ViralForge:Media:Height"] = "640",
            ["ViralForge:Queue:MaxAttempts"] = "5",
            ["Google:Auth:Audience"] = url,
            ["Google:Auth:AllowedServiceAccounts:0"] = Invoker,
            ["Google:Auth:JwksUri"] = google.BaseUrl + "oauth2/v3/certs",
            ["Google:Tasks:ProjectId"] = "viralforge-test",
            ["Google:Tasks:Location"] = "europe-west1",
            ["Google:Tasks:BaseAddress"] = google.BaseUrl,
            ["Google:Tasks:UrlTemplate"] = url,
            ["Google:Tasks:InvokerServiceAccount"] = Invoker,
            ["Google:Storage:Bucket"] = "vf-test-bucket",
            ["Google:Storage:BaseAddress"] = google.BaseUrl,
            ["Google:Storage:ChunkSize"] = (256 * 1024).ToString(CultureInfo.InvariantCulture),
            ["Google:Storage:SigningServiceAccountEmail"] = "vf-runtime@viralforge-test.iam.gserviceaccount.com",
            ["Google:Storage:IamCredentialsBaseAddress"] = google.BaseUrl,
            ["Google:CloudRun:ProjectId"] = "viralforge-test",
            ["Google:CloudRun:Region"] = "europe-west1",
            ["Google:CloudRun:BaseAddress"] = google.BaseUrl,
            ["Google:CloudRun:PollInterval"] = "00:00:00.200",
            ["Google:Sheets:BaseAddress"] = google.BaseUrl,
            ["Google:Sheets:FlushInterval"] = "00:00:00.500",
        };
    }

    /// <summary>A fixed access token instead of Application Default Credentials, and the Range header restored on every client.</summary>
    public static void SimulatedCredentials(IServiceCollection services)
    {
        services.AddSingleton<IGoogleAccessTokenSource>(new FixedTokenSource("test-access-token"));
        services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(() => new RangeHeaderRestorer()));
    }

    /// <summary>The render job's environment for a jobs:run: the host's settings as variables, its database, then the execution's overrides.</summary>
    public static Hashtable RenderJobEnvironment(IReadOnlyDictionary<string, string?> settings, string database, IReadOnlyDictionary<string, string> overrides)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(overrides);
        var environment = new Hashtable();
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        environment["VF_DATABASE_URL"] = database;
        environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }
        return environment;
    }
}

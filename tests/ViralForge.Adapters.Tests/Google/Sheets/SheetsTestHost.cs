using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.Sheets;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;

namespace ViralForge.Adapters.Tests.Google.Sheets;

/// <summary>
/// The adapter as production registers it (<see cref="GoogleSheetsServiceCollectionExtensions.AddGoogleSheets"/>),
/// pointed at a <see cref="FakeSheetsApi"/> with a fixed token, and optionally a FakeTimeProvider.
/// </summary>
internal sealed class SheetsTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly InFlight _inFlight;

    private SheetsTestHost(ServiceProvider provider, InFlight inFlight)
    {
        _provider = provider;
        _inFlight = inFlight;
    }

    /// <summary>Requests sent and not yet answered: a test driving a FakeTimeProvider only moves it while none is.</summary>
    public int RequestsInFlight => _inFlight.Count;

    /// <summary>The ranges, values and valueInputOption of every values:batchUpdate the simulator received.</summary>
    public static List<(string Range, string[] Values, string Option)> Written(FakeSheetsApi api) =>
        [.. api.CallsOf(FakeSheetsApi.BatchUpdate).SelectMany(call =>
        {
            using var body = JsonDocument.Parse(call.Body);
            var option = body.RootElement.GetProperty("valueInputOption").GetString()!;
            return body.RootElement.GetProperty("data").EnumerateArray().Select(d => (
                d.GetProperty("range").GetString()!,
                d.GetProperty("values").EnumerateArray().Single().EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.GetString()!).ToArray(),
                option)).ToList();
        })];

    public static RowWrite Write(RowLocator locator, params (string Column, string? Value)[] outputs) =>
        new(locator, outputs.ToDictionary(o => o.Column, o => o.Value));

    public static string SheetId(string tab) => new GoogleSheetId(FakeSheetsApi.SpreadsheetId, tab).ToString();

    /// <param name="settings">Google:Sheets settings by name, e.g. ("MaxRetries", "0").</param>
    public static SheetsTestHost Start(FakeSheetsApi api, TimeProvider? time = null, params (string Name, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            [$"{GoogleSheetsOptions.SectionName}:BaseAddress"] = api.Url,
            // Fast retries unless a test says otherwise; Retry-After still wins.
            [$"{GoogleSheetsOptions.SectionName}:RetryBaseDelay"] = "00:00:00.010",
        };
        foreach (var (name, value) in settings)
        {
            values[$"{GoogleSheetsOptions.SectionName}:{name}"] = value;
        }
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }
        services.AddSingleton<IGoogleAccessTokenSource>(new FixedTokenSource(FakeSheetsApi.Token));
        services.AddGoogleSheets(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        var inFlight = new InFlight();
        services.AddHttpClient<SheetsClient>().AddHttpMessageHandler(() => new CountingHandler(inFlight));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        // What the host does at start-up (ValidateOnStart).
        provider.GetRequiredService<IStartupValidator>().Validate();
        return new SheetsTestHost(provider, inFlight);
    }

    public ISheetRegistry Registry => _provider.GetRequiredService<ISheetRegistry>();

    public SheetsClient Client => _provider.GetRequiredService<SheetsClient>();

    public GoogleSheet DirectSheet(string tab) => new(
        new GoogleSheetId(FakeSheetsApi.SpreadsheetId, tab),
        Client,
        _provider.GetRequiredService<SheetsWriteLimiter>(),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<GoogleSheet>.Instance);

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    private sealed class InFlight
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Enter() => Interlocked.Increment(ref _count);

        public void Leave() => Interlocked.Decrement(ref _count);
    }

    /// <summary>Innermost handler: counts one attempt from send to answer.</summary>
    private sealed class CountingHandler(InFlight inFlight) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            inFlight.Enter();
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                inFlight.Leave();
            }
        }
    }
}

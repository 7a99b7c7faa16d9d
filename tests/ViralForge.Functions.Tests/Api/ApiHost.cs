using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ViralForge.Core.Ports;
using ViralForge.Functions.Api;
using ViralForge.Functions.Tests.Addon;
using ViralForge.Functions.Tests.Auth;

namespace ViralForge.Functions.Tests.Api;

/// <summary>
/// The functions host with the Jobs API (its own database, no dispatcher, so jobs stay where the test puts them):
/// Google's keys served by WireMock as for the add-on, API keys made straight in the store.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    private ApiHost(AddonHost addon) => Addon = addon;

    public AddonHost Addon { get; }

    public TestHost Host => Addon.Host;

    public TestSigningKey Google => Addon.Google;

    public IJobStore Jobs => Host.Get<IJobStore>();

    /// <summary>Review mode bot, so a job at review waits for a decision; more settings override.</summary>
    public static async Task<ApiHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, bool dispatch = false)
    {
        var all = new Dictionary<string, string?> { ["ViralForge:Review:Mode"] = "bot" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return new ApiHost(await AddonHost.StartAsync(dispatch: dispatch, settings: all));
    }

    /// <summary>A new key, made as vf api-key create makes it.</summary>
    public async Task<string> KeyAsync(ApiScope scope = ApiScope.Write, string owner = "zapier") =>
        (await Host.Get<ApiKeys>().CreateAsync(owner, scope, "test", CancellationToken.None)).Key;

    /// <summary>A genuine Google ID token for an allow-listed person (aud the add-on's client id).</summary>
    public string GoogleToken(string email = AddonHost.Ana) => Addon.IdentityToken(email);

    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, string? bearer, string? json = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await Host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers, text, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>POST /v1/jobs with rows of just a topic (and the duration given).</summary>
    public Task<ApiAnswer> CreateAsync(string bearer, string sheet, params string[] topics) =>
        SendAsync(HttpMethod.Post, "/v1/jobs", bearer, Rows(sheet, topics));

    public static string Rows(string sheet, params string[] topics) => new JsonObject
    {
        ["sheet"] = sheet,
        ["rows"] = new JsonArray([.. topics.Select(t => (JsonNode)new JsonObject { ["topic"] = t, ["platform"] = "youtube", ["duration"] = 30 })]),
    }.ToJsonString();

    /// <summary>The ids of the jobs a POST /v1/jobs answer made or found, in row order.</summary>
    public static List<Guid> Ids(ApiAnswer answer) =>
        [.. answer.Body!["results"]!.AsArray().Select(r => Guid.Parse((string)r!["job"]!["id"]!))];

    public ValueTask DisposeAsync() => Addon.DisposeAsync();
}

/// <summary>An answer: status, media type, headers, text and parsed JSON.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, string? MediaType, HttpResponseHeaders Headers, string Text, JsonNode? Body)
{
    /// <summary>Asserts a problem+json answer with this status, and returns its errors' field names (empty when it has none).</summary>
    public IReadOnlyList<string> AssertProblem(HttpStatusCode status)
    {
        Assert.True(status == Status, $"expected {(int)status}, got {(int)Status}: {Text}");
        Assert.Equal("application/problem+json", MediaType);
        Assert.Equal((int)status, (int)Body!["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)Body["detail"]), "a problem says what is wrong in detail: " + Text);
        return Body["errors"] is JsonObject errors ? [.. errors.Select(e => e.Key)] : [];
    }
}

/// <summary>
/// One host for a class of tests that each make their own keys and data (unique topics, no shared rows): the tests of
/// refusals, which make nothing, need no database of their own each.
/// </summary>
public sealed class ApiHostFixture : IAsyncLifetime
{
    private ApiHost? api;

    public ApiHost Api => api ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync() => api = await ApiHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (api is not null)
        {
            await api.DisposeAsync();
        }
    }
}

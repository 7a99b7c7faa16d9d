using System.Text.Json.Nodes;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ViralForge.Bot.Tests.Teams;

/// <summary>
/// Microsoft's side, played by two WireMock servers (port 0, disposed with the test): "login" serves Bot Framework's
/// OpenID metadata, its key set (with endorsements) and the identity platform's token endpoint; "connector" is the Bot
/// Connector (POST and PUT of activities), in their documented wire formats.
/// </summary>
public sealed class BotFrameworkFake : IDisposable
{
    public const string AppId = "6f0d3b8e-2c4a-4d8e-9a51-0c7f3e2b1a90";
    public const string AppPassword = "test-secret~not-a-real-one";
    public const string ConversationId = "19:reviews0123456789@thread.tacv2";
    public const string MetadataPath = "/v1/.well-known/openidconfiguration";
    public const string KeysPath = "/v1/.well-known/keys";
    public const string TokenPath = "/botframework.com/oauth2/v2.0/token";
    public const string AccessToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.bot-connector-token.sig";

    /// <summary>The default answers' priority; a test's own mapping at a smaller number (WireMock: smaller wins) overrides them.</summary>
    public const int DefaultPriority = 100;

    // Fixed mapping ids, so serving the keys again (or failing them) replaces the earlier answer instead of adding one.
    private static readonly Guid MetadataMapping = Guid.Parse("6d1b5d4e-0000-4000-8000-000000000001");
    private static readonly Guid KeysMapping = Guid.Parse("6d1b5d4e-0000-4000-8000-000000000002");

    private int nextActivity;

    public BotFrameworkFake()
    {
        Key = new TeamsSigningKey("bf-key-1", "msteams");
        ServeKeys(Key);
        ServeToken();
        ServeConnector();
    }

    public WireMockServer Login { get; } = WireMockServer.Start();

    public WireMockServer Connector { get; } = WireMockServer.Start();

    /// <summary>The key Teams signs with, endorsed for "msteams".</summary>
    public TeamsSigningKey Key { get; }

    public string MetadataUrl => Login.Url + MetadataPath;

    public string TokenUrl => Login.Url + TokenPath;

    /// <summary>The Connector's service URL, as Teams gives it (with a trailing slash).</summary>
    public string ServiceUrl => Connector.Url + "/teams/";

    /// <summary>The activities path as WireMock reports it (decoded; the client sends the conversation id escaped).</summary>
    public string ActivitiesPath => $"/teams/v3/conversations/{ConversationId}/activities";

    /// <summary>The settings that point the bot at this fake.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Teams:AppId"] = AppId,
        ["Teams:AppPassword"] = AppPassword,
        ["Teams:ServiceUrl"] = ServiceUrl,
        ["Teams:ConversationId"] = ConversationId,
        ["Teams:OpenIdMetadataUrl"] = MetadataUrl,
        ["Teams:TokenEndpoint"] = TokenUrl,
        ["Teams:AttemptTimeout"] = "00:00:02",
        ["Teams:RetryBaseDelay"] = "00:00:00.050",
        ["Teams:MaxRetryAttempts"] = "3",
    };

    /// <summary>The metadata document (naming this server's key set) and the key set with these keys.</summary>
    public void ServeKeys(params TeamsSigningKey[] keys)
    {
        Login.Given(Request.Create().WithPath(MetadataPath).UsingGet()).WithGuid(MetadataMapping).AtPriority(DefaultPriority).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/json; charset=utf-8")
            .WithBody(new JsonObject
            {
                ["issuer"] = "https://api.botframework.com",
                ["authorization_endpoint"] = "https://invalid.botframework.com",
                ["jwks_uri"] = Login.Url + KeysPath,
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
            }.ToJsonString()));
        Login.Given(Request.Create().WithPath(KeysPath).UsingGet()).WithGuid(KeysMapping).AtPriority(DefaultPriority).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/json; charset=utf-8")
            .WithBody(new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k.Jwk())]) }.ToJsonString()));
    }

    /// <summary>The key set answers with this status and body from now on.</summary>
    public void FailKeys(int status, string body = "") =>
        Login.Given(Request.Create().WithPath(KeysPath).UsingGet()).WithGuid(KeysMapping).AtPriority(DefaultPriority).RespondWith(Response.Create().WithStatusCode(status).WithBody(body));

    /// <summary>Client-credentials tokens: {"token_type":"Bearer","expires_in":3600,"access_token":...}.</summary>
    public void ServeToken(int expiresIn = 3600) =>
        Login.Given(Request.Create().WithPath(TokenPath).UsingPost()).AtPriority(DefaultPriority).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/json; charset=utf-8")
            .WithBody($$"""{"token_type":"Bearer","expires_in":{{expiresIn}},"ext_expires_in":{{expiresIn}},"access_token":"{{AccessToken}}"}"""));

    /// <summary>POST of an activity answers 201 {"id":...}; PUT answers 200 {"id":...}.</summary>
    public void ServeConnector()
    {
        Connector.Given(Request.Create().WithPath(ActivitiesPath).UsingPost()).AtPriority(DefaultPriority).RespondWith(Response.Create()
            .WithCallback(_ => new WireMock.ResponseMessage
            {
                StatusCode = 201,
                Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json; charset=utf-8") },
                BodyData = new WireMock.Util.BodyData
                {
                    BodyAsString = $$"""{"id":"1:activity-{{Interlocked.Increment(ref nextActivity)}}"}""",
                    DetectedBodyType = WireMock.Types.BodyType.String,
                },
            }));
        Connector.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher(ActivitiesPath + "/*")).UsingPost()).AtPriority(DefaultPriority).RespondWith(Response.Create()
            .WithStatusCode(201).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody("""{"id":"1:reply-1"}"""));
        Connector.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher(ActivitiesPath + "/*")).UsingPut()).AtPriority(DefaultPriority).RespondWith(Response.Create()
            .WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody("""{"id":"1:activity-1"}"""));
    }

    public IReadOnlyList<ILogEntry> ConnectorCalls(string method) =>
        [.. Connector.LogEntries.Where(e => e.RequestMessage.Method == method)];

    public int TokenRequests => Login.LogEntries.Count(e => e.RequestMessage.Path == TokenPath);

    public int KeyFetches => Login.LogEntries.Count(e => e.RequestMessage.Path == KeysPath);

    public void Dispose()
    {
        Login.Dispose();
        Connector.Dispose();
        Key.Dispose();
    }
}

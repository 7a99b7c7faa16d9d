using System.Net;
using System.Text.Json.Nodes;
using ViralForge.Core.Ports;

namespace ViralForge.Bot.Tests.Teams;

/// <summary>POST /api/messages refuses every kind of bad Connector token before a click can decide anything.</summary>
public sealed class TeamsAuthTests
{
    [Theory]
    [InlineData("missing-header", HttpStatusCode.Unauthorized, "no Authorization header")]
    [InlineData("not-a-bearer", HttpStatusCode.Unauthorized, "not a bearer token")]
    [InlineData("not-a-jwt", HttpStatusCode.Forbidden, "not a JWT")]
    [InlineData("bad-signature", HttpStatusCode.Forbidden, "invalid token: SecurityTokenSignatureKeyNotFoundException|invalid token: SecurityTokenInvalidSignatureException")]
    [InlineData("unknown-kid", HttpStatusCode.Forbidden, "is not among Bot Framework's signing keys")]
    [InlineData("alg-none", HttpStatusCode.Forbidden, "invalid token")]
    [InlineData("alg-hs256-with-public-key", HttpStatusCode.Forbidden, "invalid token")]
    [InlineData("expired", HttpStatusCode.Forbidden, "Lifetime")]
    [InlineData("not-yet-valid", HttpStatusCode.Forbidden, "Lifetime")]
    [InlineData("no-exp", HttpStatusCode.Forbidden, "Lifetime")]
    [InlineData("wrong-audience", HttpStatusCode.Forbidden, "Audience")]
    [InlineData("wrong-issuer", HttpStatusCode.Forbidden, "Issuer")]
    [InlineData("serviceurl-claim-differs", HttpStatusCode.Forbidden, "the token's serviceUrl is not the activity's")]
    [InlineData("no-serviceurl-claim", HttpStatusCode.Forbidden, "the token has no serviceUrl claim")]
    [InlineData("key-not-endorsed-for-channel", HttpStatusCode.Forbidden, "key bf-key-webchat is not endorsed for channel 'msteams'")]
    [InlineData("activity-from-another-channel", HttpStatusCode.Forbidden, "key bf-key-1 is not endorsed for channel 'webchat'")]
    [InlineData("body-changed-after-signing", HttpStatusCode.Forbidden, "the token's serviceUrl is not the activity's")]
    public async Task A_bad_token_is_refused_and_nothing_is_decided(string breakage, HttpStatusCode expected, string reason)
    {
        using var teams = new BotFrameworkFake();
        using var webchatKey = new TeamsSigningKey("bf-key-webchat", "webchat");
        teams.ServeKeys(teams.Key, webchatKey);
        var log = new RecordingLoggerProvider();
        await using var host = await TeamsHost.StartAsync(teams, log: log);
        var request = await host.AwaitingReviewAsync();
        var activity = TeamsHost.Invoke(teams, request, "approve-confirmed");
        var now = TimeProvider.System.GetUtcNow();
        var claims = TeamsSigningKey.Claims(BotFrameworkFake.AppId, teams.ServiceUrl, now);

        string? Bent(Action<JsonObject> bend)
        {
            var c = TeamsSigningKey.Claims(BotFrameworkFake.AppId, teams.ServiceUrl, now);
            bend(c);
            return "Bearer " + teams.Key.Mint(c);
        }

        using var foreign = new TeamsSigningKey(teams.Key.Kid, "msteams");
        using var stranger = new TeamsSigningKey("not-a-bot-framework-kid", "msteams");
        var authorization = breakage switch
        {
            "missing-header" => null,
            "not-a-bearer" => "Basic " + Convert.ToBase64String("bot:secret"u8.ToArray()),
            "not-a-jwt" => "Bearer not.a.jwt-at-all",
            "bad-signature" => "Bearer " + foreign.Mint(claims),
            "unknown-kid" => "Bearer " + stranger.Mint(claims),
            "alg-none" => "Bearer " + TeamsSigningKey.Encode(new JsonObject { ["alg"] = "none", ["kid"] = teams.Key.Kid, ["typ"] = "JWT" })
                + "." + TeamsSigningKey.Encode(claims) + ".",
            "alg-hs256-with-public-key" => "Bearer " + HmacWithPublicKey(teams.Key, claims),
            "expired" => Bent(c => { c["nbf"] = now.AddHours(-2).ToUnixTimeSeconds(); c["exp"] = now.AddMinutes(-6).ToUnixTimeSeconds(); }),
            "not-yet-valid" => Bent(c => c["nbf"] = now.AddMinutes(6).ToUnixTimeSeconds()),
            "no-exp" => Bent(c => c.Remove("exp")),
            "wrong-audience" => Bent(c => c["aud"] = "00000000-0000-0000-0000-000000000000"),
            "wrong-issuer" => Bent(c => c["iss"] = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/"),
            "serviceurl-claim-differs" => Bent(c => c["serviceurl"] = "https://smba.evil.example/teams/"),
            "no-serviceurl-claim" => Bent(c => c.Remove("serviceurl")),
            "key-not-endorsed-for-channel" => "Bearer " + webchatKey.Mint(claims),
            "activity-from-another-channel" => "Bearer " + teams.Key.Mint(claims),
            "body-changed-after-signing" => "Bearer " + teams.Key.Mint(claims),
            _ => throw new ArgumentOutOfRangeException(nameof(breakage)),
        };
        if (breakage == "activity-from-another-channel")
        {
            activity["channelId"] = "webchat";
        }
        if (breakage == "body-changed-after-signing")
        {
            // A genuine token replayed with a body that sends the bot's answers (and token) elsewhere.
            activity["serviceUrl"] = "https://smba.evil.example/teams/";
        }

        using var response = await host.PostActivityAsync(activity, authorization);

        Assert.Equal(expected, response.StatusCode);
        // Refused for the reason the case is about, not another one; the log never holds the token.
        var refusal = Assert.Single(log.Messages(6501));
        Assert.True(reason.Split('|').Any(r => refusal.Contains(r, StringComparison.Ordinal)), $"Expected '{reason}' in: {refusal}");
        Assert.DoesNotContain(log.Lines, l => authorization is { Length: > 20 } && l.Message.Contains(authorization[7..], StringComparison.Ordinal));
        Assert.Null(await host.Get<IReviewLedger>().GetDecisionAsync(request.JobId, request.Generation, CancellationToken.None));
        Assert.Empty(teams.ConnectorCalls("PUT"));
    }

    [Fact]
    public async Task A_genuine_token_within_the_clock_skew_decides()
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();
        var now = TimeProvider.System.GetUtcNow();
        var claims = TeamsSigningKey.Claims(BotFrameworkFake.AppId, teams.ServiceUrl, now);
        // Expired four minutes ago and valid from four minutes on: inside the five minutes of skew either way.
        claims["exp"] = now.AddMinutes(-4).ToUnixTimeSeconds();
        claims["nbf"] = now.AddMinutes(4).ToUnixTimeSeconds();

        using var response = await host.PostActivityAsync(TeamsHost.Invoke(teams, request, "approve-confirmed"), "Bearer " + teams.Key.Mint(claims));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decision = await host.Get<IReviewLedger>().GetDecisionAsync(request.JobId, request.Generation, CancellationToken.None);
        Assert.NotNull(decision);
        Assert.Equal(ReviewVerdict.Approve, decision.Verdict);
    }

    [Fact]
    public async Task Keys_that_cannot_be_fetched_answer_503_and_decide_nothing()
    {
        using var teams = new BotFrameworkFake();
        teams.FailKeys(500, "oops");
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();

        using var response = await host.PostActivityAsync(TeamsHost.Invoke(teams, request, "approve-confirmed"),
            "Bearer " + teams.Key.Mint(BotFrameworkFake.AppId, teams.ServiceUrl, TimeProvider.System.GetUtcNow()));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("30", response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(await host.Get<IReviewLedger>().GetDecisionAsync(request.JobId, request.Generation, CancellationToken.None));
    }

    [Fact]
    public async Task Without_Teams_settings_the_endpoint_is_not_there()
    {
        await using var host = await TeamsHost.StartAsync(teams: null);

        using var response = await host.PostActivityAsync(new JsonObject { ["type"] = "message" }, "Bearer x.y.z");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The classic confusion: HS256 "signed" with the RSA public key as the HMAC secret.</summary>
    private static string HmacWithPublicKey(TeamsSigningKey key, JsonObject claims)
    {
        var header = new JsonObject { ["alg"] = "HS256", ["kid"] = key.Kid, ["typ"] = "JWT" };
        var input = TeamsSigningKey.Encode(header) + "." + TeamsSigningKey.Encode(claims);
        var secret = System.Text.Encoding.UTF8.GetBytes(key.Jwk()["n"]!.GetValue<string>());
        var mac = System.Security.Cryptography.HMACSHA256.HashData(secret, System.Text.Encoding.ASCII.GetBytes(input));
        return input + "." + Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(mac);
    }
}

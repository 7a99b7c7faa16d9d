using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Bot.Teams;

namespace ViralForge.Bot.Tests.Teams;

/// <summary>The key cache: long-lived, refetched for an unknown key at most every 30 s, keeping old keys when a fetch fails.</summary>
public sealed class BotFrameworkSigningKeysTests
{
    private static (BotFrameworkSigningKeys Keys, FakeTimeProvider Time, HttpClient Http) Create(BotFrameworkFake teams)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new TeamsOptions { OpenIdMetadataUrl = new Uri(teams.MetadataUrl) });
        var http = new HttpClient();
        return (new BotFrameworkSigningKeys(http, options, time, NullLogger<BotFrameworkSigningKeys>.Instance), time, http);
    }

    [Fact]
    public async Task Keys_come_from_the_metadata_s_jwks_uri_with_their_endorsements_and_are_kept_a_day()
    {
        using var teams = new BotFrameworkFake();
        using var other = new TeamsSigningKey("bf-key-2", "msteams", "skype", "webchat");
        using var bare = new TeamsSigningKey("bf-key-3");
        teams.ServeKeys(teams.Key, other, bare);
        var (keys, time, http) = Create(teams);
        using var _ = http;

        var first = await keys.GetAsync("bf-key-1", CancellationToken.None);
        await keys.GetAsync("bf-key-2", CancellationToken.None);
        time.Advance(TimeSpan.FromHours(23));
        await keys.GetAsync("bf-key-1", CancellationToken.None);

        Assert.Equal(1, teams.KeyFetches);
        Assert.Equal(["msteams"], first!["bf-key-1"].Endorsements);
        Assert.Equal(["msteams", "skype", "webchat"], first["bf-key-2"].Endorsements);
        Assert.Empty(first["bf-key-3"].Endorsements);

        time.Advance(TimeSpan.FromHours(1));
        await keys.GetAsync("bf-key-1", CancellationToken.None);
        Assert.Equal(2, teams.KeyFetches);
    }

    [Fact]
    public async Task An_unknown_key_id_refetches_at_most_every_30_seconds()
    {
        using var teams = new BotFrameworkFake();
        var (keys, time, http) = Create(teams);
        using var _ = http;
        await keys.GetAsync("bf-key-1", CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(31));
        for (var i = 0; i < 5; i++)
        {
            await keys.GetAsync($"forged-{i}", CancellationToken.None);
        }
        Assert.Equal(2, teams.KeyFetches);

        // Microsoft rolls a key: the next token naming it fetches again once 30 s have passed.
        using var rolled = new TeamsSigningKey("bf-key-new", "msteams");
        teams.ServeKeys(teams.Key, rolled);
        Assert.False((await keys.GetAsync("bf-key-new", CancellationToken.None))!.ContainsKey("bf-key-new"));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await keys.GetAsync("bf-key-new", CancellationToken.None))!.ContainsKey("bf-key-new"));
        Assert.Equal(3, teams.KeyFetches);
    }

    [Theory]
    [InlineData(500, "")]
    [InlineData(200, "not json")]
    [InlineData(200, """{"keys":[]}""")]
    public async Task A_failed_refetch_keeps_the_keys_fetched_before(int status, string body)
    {
        using var teams = new BotFrameworkFake();
        var (keys, time, http) = Create(teams);
        using var _ = http;
        await keys.GetAsync("bf-key-1", CancellationToken.None);

        teams.FailKeys(status, body);
        time.Advance(TimeSpan.FromDays(1));
        var after = await keys.GetAsync("bf-key-1", CancellationToken.None);

        Assert.NotNull(after);
        Assert.True(after.ContainsKey("bf-key-1"));
        Assert.Equal(2, teams.KeyFetches);
    }

    [Fact]
    public async Task No_keys_ever_fetched_is_null()
    {
        using var teams = new BotFrameworkFake();
        teams.FailKeys(503);
        var (keys, _, http) = Create(teams);
        using var __ = http;

        Assert.Null(await keys.GetAsync("bf-key-1", CancellationToken.None));
    }
}

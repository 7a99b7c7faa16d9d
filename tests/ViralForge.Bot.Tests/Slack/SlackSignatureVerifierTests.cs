using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Bot.Slack;

namespace ViralForge.Bot.Tests.Slack;

/// <summary>The v0 signature check on its own, on a clock the test moves.</summary>
public sealed class SlackSignatureVerifierTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("payload=%7B%22type%22%3A%22block_actions%22%7D");

    [Fact]
    public void Slacks_documented_example_verifies()
    {
        // The example on api.slack.com/authentication/verifying-requests-from-slack.
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1531420618));
        var verifier = new SlackSignatureVerifier(Options.Create(new SlackOptions { SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5" }), clock);
        var body = Encoding.UTF8.GetBytes("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");

        var check = verifier.Verify("1531420618", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", body);

        Assert.True(check.Valid, check.Reason);
    }

    [Fact]
    public void A_replay_is_refused_inside_the_window_and_the_timestamp_refuses_it_after()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var verifier = Verifier(clock);
        var (ts, signature) = Sign(clock.GetUtcNow());

        Assert.True(verifier.Verify(ts, signature, Body).Valid);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Contains("replay", verifier.Verify(ts, signature, Body).Reason, StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Contains("old", verifier.Verify(ts, signature, Body).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    public void The_timestamp_may_be_five_minutes_off_either_way(int offsetSeconds, bool valid)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var (ts, signature) = Sign(clock.GetUtcNow().AddSeconds(offsetSeconds));

        Assert.Equal(valid, Verifier(clock).Verify(ts, signature, Body).Valid);
    }

    [Fact]
    public void Concurrent_copies_of_one_request_get_in_once()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var verifier = Verifier(clock);
        var (ts, signature) = Sign(clock.GetUtcNow());

        var accepted = Enumerable.Range(0, 64).AsParallel().Count(_ => verifier.Verify(ts, signature, Body).Valid);

        Assert.Equal(1, accepted);
    }

    private static SlackSignatureVerifier Verifier(TimeProvider clock) =>
        new(Options.Create(new SlackOptions { SigningSecret = SlackTestHost.Secret }), clock);

    private static (string Ts, string Signature) Sign(DateTimeOffset at)
    {
        var ts = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return (ts, SlackTestHost.Sign(SlackTestHost.Secret, ts, Body));
    }
}

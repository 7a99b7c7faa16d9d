using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Bot.Slack;
using ViralForge.Core.Ports;

namespace ViralForge.Bot.Tests.Slack;

/// <summary>Every request that Slack did not sign, or that was signed for another moment or body, changes nothing.</summary>
public sealed class SlackInteractionAuthTests
{
    public static TheoryData<string> Breakages() =>
    [
        "bad-signature",
        "wrong-secret",
        "stale-timestamp",
        "future-timestamp",
        "replayed",
        "body-changed-by-one-byte",
        "missing-signature",
        "missing-timestamp",
        "non-numeric-timestamp",
        "no-v0-prefix",
        "signature-for-another-timestamp",
        "truncated-signature",
    ];

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task A_request_not_signed_by_Slack_is_refused_and_decides_nothing(string breakage)
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack);
        var job = await host.AwaitingJobAsync();
        var payload = SlackTestHost.Click(SlackCards.ApproveAction, job.Id, job.Generation, SlackTestHost.Ana, "Ana", SlackWire.ResponseUrl(slack));
        var body = Encoding.UTF8.GetBytes(SlackTestHost.FormBody(payload));
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var ts = now.ToString(CultureInfo.InvariantCulture);
        var good = SlackTestHost.Sign(SlackTestHost.Secret, ts, body);

        if (breakage == "replayed")
        {
            // The genuine request first: it is accepted (and decides). The same bytes again must be refused.
            using var first = await host.Client.SendAsync(SlackTestHost.Request(body, ts, good));
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            using var replay = await host.Client.SendAsync(SlackTestHost.Request(body, ts, good));
            Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
            Assert.Equal(1, await host.DecisionCountAsync(job.Id));
            Assert.Equal(1, await host.ApplyTaskCountAsync());
            return;
        }

        var (sentBody, sentTs, signature) = breakage switch
        {
            "bad-signature" => (body, ts, "v0=" + new string('a', 64)),
            "wrong-secret" => (body, ts, SlackTestHost.Sign("another-apps-signing-secret-0000", ts, body)),
            "stale-timestamp" => Signed(body, now - 301),
            // Well past the limit: the host reads its clock a moment after the test did (the exact edge is tested on a fake clock).
            "future-timestamp" => Signed(body, now + 330),
            "body-changed-by-one-byte" => (OneByteChanged(body), ts, good),
            "missing-signature" => (body, ts, null),
            "missing-timestamp" => (body, null, good),
            "non-numeric-timestamp" => (body, "17000000x0", SlackTestHost.Sign(SlackTestHost.Secret, "17000000x0", body)),
            "no-v0-prefix" => (body, ts, good["v0=".Length..]),
            "signature-for-another-timestamp" => (body, ts, SlackTestHost.Sign(SlackTestHost.Secret, (now - 1).ToString(CultureInfo.InvariantCulture), body)),
            "truncated-signature" => (body, ts, good[..^2]),
            _ => throw new ArgumentOutOfRangeException(nameof(breakage)),
        };

        using var response = await host.Client.SendAsync(SlackTestHost.Request(sentBody, sentTs, signature));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await host.DecisionCountAsync(job.Id));
        Assert.Equal(0, await host.ApplyTaskCountAsync());
        Assert.Null(await host.Get<IReviewLedger>().GetDecisionAsync(job.Id, job.Generation, CancellationToken.None));
        await Task.Delay(200);
        Assert.Empty(SlackWire.Calls(slack, SlackWire.ResponsePath));
    }

    [Fact]
    public async Task A_well_signed_request_within_five_minutes_is_accepted()
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack);
        var job = await host.AwaitingJobAsync();
        var payload = SlackTestHost.Click(SlackCards.ApproveAction, job.Id, job.Generation, SlackTestHost.Ana, "Ana", SlackWire.ResponseUrl(slack));

        using var response = await host.Client.SendAsync(SlackTestHost.Signed(payload, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() - 280));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await host.DecisionCountAsync(job.Id));
    }

    [Fact]
    public async Task Without_Slack_settings_the_endpoint_is_not_there()
    {
        await using var host = await SlackTestHost.StartAsync(slack: null);

        using var response = await host.Client.SendAsync(SlackTestHost.Signed("""{"type":"block_actions"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(host.Services.GetServices<IReviewPoster>(), p => p.Surface == "slack");
    }

    private static (byte[] Body, string Ts, string Signature) Signed(byte[] body, long seconds)
    {
        var ts = seconds.ToString(CultureInfo.InvariantCulture);
        return (body, ts, SlackTestHost.Sign(SlackTestHost.Secret, ts, body));
    }

    private static byte[] OneByteChanged(byte[] body)
    {
        var changed = (byte[])body.Clone();
        // The last byte is inside the URL-encoded JSON; flipping one bit keeps it printable and the form parseable.
        changed[^1] ^= 0x01;
        return changed;
    }
}

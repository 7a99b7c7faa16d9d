using ViralForge.Core.Webhooks;
using ViralForge.Testing.Webhooks;

namespace ViralForge.Core.Tests.Webhooks;

public sealed class WebhookSignerTests
{
    // The test vector published with the Standard Webhooks specification (its reference libraries' "sign" tests).
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorBody = "{\"test\": 2432232314}";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void The_published_Standard_Webhooks_vector_is_signed_alike_by_the_product_and_by_the_independent_verifier()
    {
        Assert.Equal(VectorSignature, WebhookSigner.Sign(VectorSecret, VectorId, VectorTimestamp, VectorBody));
        Assert.Equal(VectorSignature, StandardWebhooksVerifier.ExpectedHeader(VectorSecret, VectorId, "1614265330", VectorBody));
        Assert.Null(StandardWebhooksVerifier.Verify(VectorSecret, VectorId, "1614265330", VectorSignature, VectorBody, DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp)));
    }

    [Fact]
    public void A_new_secret_signs_what_an_independent_receiver_verifies_and_any_change_fails_it()
    {
        var secret = WebhookSigner.NewSecret();
        var now = new DateTimeOffset(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);
        var stamp = WebhookSigner.Timestamp(now);
        const string body = """{"type":"job.published","data":{"topic":"Crème brûlée in 30 s ✓"}}""";
        var signature = WebhookSigner.Sign(secret, "msg_abc", stamp, body);

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.Null(StandardWebhooksVerifier.Verify(secret, "msg_abc", stamp.ToString(System.Globalization.CultureInfo.InvariantCulture), signature, body, now));
        // A receiver rotating secrets sends several; any one that matches verifies.
        Assert.Null(StandardWebhooksVerifier.Verify(secret, "msg_abc", $"{stamp}", $"v1,AAAA {signature}", body, now));

        Assert.NotNull(StandardWebhooksVerifier.Verify(secret, "msg_abc", $"{stamp}", signature, body.Replace("30", "31", StringComparison.Ordinal), now));
        Assert.NotNull(StandardWebhooksVerifier.Verify(secret, "msg_abd", $"{stamp}", signature, body, now));
        Assert.NotNull(StandardWebhooksVerifier.Verify(secret, "msg_abc", $"{stamp + 1}", signature, body, now));
        Assert.NotNull(StandardWebhooksVerifier.Verify(WebhookSigner.NewSecret(), "msg_abc", $"{stamp}", signature, body, now));
        // Replay: the same delivery ten minutes later is refused for its timestamp.
        Assert.NotNull(StandardWebhooksVerifier.Verify(secret, "msg_abc", $"{stamp}", signature, body, now.AddMinutes(10)));
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "starts with whsec_")]
    [InlineData("whsec_not base64!", "base64 of 24 to 64 bytes")]
    [InlineData("whsec_c2hvcnQ=", "base64 of 24 to 64 bytes")]
    public void A_malformed_secret_says_what_a_secret_looks_like_without_echoing_it(string secret, string expected)
    {
        var error = Assert.Throws<FormatException>(() => WebhookSigner.Sign(secret, "msg_1", 1, "{}"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Event_ids_and_task_names_are_the_same_for_the_same_change_and_differ_otherwise()
    {
        var job = Guid.NewGuid();
        var subscription = Guid.NewGuid();
        var id = WebhookQueue.EventId(job, 1, WebhookEventTypes.StatusChanged, "render");

        Assert.Equal(id, WebhookQueue.EventId(job, 1, WebhookEventTypes.StatusChanged, "render"));
        Assert.StartsWith("msg_", id, StringComparison.Ordinal);
        Assert.NotEqual(id, WebhookQueue.EventId(job, 2, WebhookEventTypes.StatusChanged, "render"));
        Assert.NotEqual(id, WebhookQueue.EventId(job, 1, WebhookEventTypes.StatusChanged, "review"));
        Assert.NotEqual(id, WebhookQueue.EventId(job, 1, WebhookEventTypes.ReviewRequested, "render"));
        Assert.Equal(WebhookQueue.TaskName(id, subscription), WebhookQueue.TaskName(id, subscription));
        Assert.NotEqual(WebhookQueue.TaskName(id, subscription), WebhookQueue.TaskName(id, Guid.NewGuid()));
        Assert.Matches("^[0-9a-f]{32}$", WebhookQueue.TaskName(id, subscription));
    }

    [Fact]
    public void The_webhook_queue_retries_for_about_a_day()
    {
        var retry = new ViralForgeOptions().Queue.RetryFor(WebhookQueue.Name);
        var total = Enumerable.Range(1, retry.MaxAttempts - 1).Aggregate(TimeSpan.Zero, (sum, n) => sum + retry.BackoffBefore(n));

        Assert.InRange(total, TimeSpan.FromHours(24), TimeSpan.FromHours(25));
        Assert.Equal(TimeSpan.FromSeconds(10), retry.BackoffBefore(1));
        Assert.Equal(TimeSpan.FromHours(1), retry.BackoffBefore(retry.MaxAttempts - 1));
    }
}

using System.Net;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Functions.Api;

namespace ViralForge.Functions.Tests.Api;

/// <summary>Idempotency-Key on POST /v1/jobs: same key and body, the same answer; same key, another body, 422.</summary>
public sealed class ApiIdempotencyTests
{
    [Fact]
    public async Task The_same_key_and_body_answer_the_first_answer_again_byte_for_byte()
    {
        await using var api = await ApiHost.StartAsync();
        var key = await api.KeyAsync();
        var headers = new Dictionary<string, string> { [JobsApi.IdempotencyKeyHeader] = "8e0f2c56-5d0b-4f8e-9d35-0c4c1f5b7e11" };
        var body = ApiHost.Rows("crm", "Three tips for sourdough", "Why cats purr");

        var first = await api.SendAsync(HttpMethod.Post, "/v1/jobs", key, body, headers);
        var repeat = await api.SendAsync(HttpMethod.Post, "/v1/jobs", key, body, headers);
        var otherBody = await api.SendAsync(HttpMethod.Post, "/v1/jobs", key, ApiHost.Rows("crm", "Three tips for sourdough"), headers);
        var noKey = await api.SendAsync(HttpMethod.Post, "/v1/jobs", key, body);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.False(first.Headers.Contains(JobsApi.ReplayedHeader));
        // The replay is the first answer (201, created true), not a second submission's (200, created false).
        Assert.Equal(HttpStatusCode.Created, repeat.Status);
        Assert.Equal(first.Text, repeat.Text);
        Assert.Equal("true", repeat.Headers.GetValues(JobsApi.ReplayedHeader).Single());
        Assert.Equal([JobsApi.IdempotencyKeyHeader], otherBody.AssertProblem(HttpStatusCode.UnprocessableEntity));
        Assert.Equal(HttpStatusCode.OK, noKey.Status);
        Assert.Equal(ApiHost.Ids(first), ApiHost.Ids(noKey));
        Assert.Equal(2, (await api.Jobs.ListBySheetAsync("api:crm", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Keys_are_per_caller_and_a_bad_body_leaves_the_key_free_for_the_corrected_one()
    {
        await using var api = await ApiHost.StartAsync();
        var headers = new Dictionary<string, string> { [JobsApi.IdempotencyKeyHeader] = "order-1234" };

        var bad = await api.SendAsync(HttpMethod.Post, "/v1/jobs", await api.KeyAsync(owner: "zapier"), """{ "rows": [{ "topic": "A", "duration": 5 }] }""", headers);
        var corrected = await api.SendAsync(HttpMethod.Post, "/v1/jobs", await api.KeyAsync(owner: "zapier"), ApiHost.Rows("crm", "A"), headers);
        var someoneElse = await api.SendAsync(HttpMethod.Post, "/v1/jobs", await api.KeyAsync(owner: "make"), ApiHost.Rows("crm", "B"), headers);

        Assert.Equal(["/rows/0/duration"], bad.AssertProblem(HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.Created, corrected.Status);
        Assert.Equal(HttpStatusCode.Created, someoneElse.Status);
        Assert.NotEqual(ApiHost.Ids(corrected), ApiHost.Ids(someoneElse));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData(null)]
    public async Task A_malformed_idempotency_key_is_named(string? value)
    {
        // Longer than 255 characters (attribute arguments cannot build it).
        value ??= new string('k', 256);
        await using var api = await ApiHost.StartAsync();

        var answer = await api.SendAsync(HttpMethod.Post, "/v1/jobs", await api.KeyAsync(), ApiHost.Rows("crm", "A"),
            new Dictionary<string, string> { [JobsApi.IdempotencyKeyHeader] = value });

        Assert.Equal([JobsApi.IdempotencyKeyHeader], answer.AssertProblem(HttpStatusCode.BadRequest));
        Assert.Empty(await api.Jobs.ListBySheetAsync("api:crm", CancellationToken.None));
    }

    [Fact]
    public async Task A_claim_in_flight_is_answered_409_until_abandoned_and_an_answer_expires_after_the_window()
    {
        await using var api = await ApiHost.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var store = new ApiIdempotency(api.Host.Get<Npgsql.NpgsqlDataSource>(), Microsoft.Extensions.Options.Options.Create(new ApiOptions()), time);
        var hash = ApiIdempotency.HashBody("{}"u8);
        var other = ApiIdempotency.HashBody("{ }"u8);

        Assert.Equal(IdempotencyState.Claimed, (await store.ClaimAsync("zapier", "k1", hash, CancellationToken.None)).State);
        Assert.Equal(IdempotencyState.InFlight, (await store.ClaimAsync("zapier", "k1", hash, CancellationToken.None)).State);
        Assert.Equal(IdempotencyState.Mismatch, (await store.ClaimAsync("zapier", "k1", other, CancellationToken.None)).State);
        time.Advance(ApiIdempotency.AbandonedAfter + TimeSpan.FromSeconds(1));
        Assert.Equal(IdempotencyState.Claimed, (await store.ClaimAsync("zapier", "k1", hash, CancellationToken.None)).State);
        await store.CompleteAsync("zapier", "k1", 201, """{"results":[]}""", CancellationToken.None);
        time.Advance(TimeSpan.FromHours(23));
        var replay = await store.ClaimAsync("zapier", "k1", hash, CancellationToken.None);
        Assert.Equal((IdempotencyState.Replay, 201, """{"results":[]}"""), (replay.State, replay.StatusCode, replay.Response));
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(IdempotencyState.Claimed, (await store.ClaimAsync("zapier", "k1", other, CancellationToken.None)).State);
    }
}

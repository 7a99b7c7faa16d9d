using System.Net;
using ViralForge.Core.Ports;

namespace ViralForge.Functions.Tests.Api;

/// <summary>Bad input is a problem+json whose errors name each field at fault, and nothing is made.</summary>
public sealed class ApiInputTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private ApiHost Api => fixture.Api;

    public static TheoryData<string, string, string[]> BadBodies() => new()
    {
        { "not JSON", "{ \"rows\": [", ["/"] },
        { "an array", "[]", ["/"] },
        { "no rows", """{ "sheet": "crm" }""", ["/rows"] },
        { "empty rows", """{ "rows": [] }""", ["/rows"] },
        { "a row that is not an object", """{ "rows": ["Three tips"] }""", ["/rows/0"] },
        { "no topic", """{ "rows": [{ "duration": 30 }] }""", ["/rows/0/topic"] },
        { "duration out of range", """{ "rows": [{ "topic": "A", "duration": 5 }] }""", ["/rows/0/duration"] },
        { "two bad fields in the second row", """{ "rows": [{ "topic": "A" }, { "topic": "B", "platform": "myspace", "publishAt": "soon" }] }""", ["/rows/1/platform", "/rows/1/publishAt"] },
        { "unknown field", """{ "rows": [{ "topic": "A", "durration": 30 }] }""", ["/rows/0/durration"] },
        { "field of the wrong kind", """{ "rows": [{ "topic": { "text": "A" } }] }""", ["/rows/0/topic"] },
        { "unknown top-level member", """{ "rows": [{ "topic": "A" }], "sheets": "crm" }""", ["/sheets"] },
        { "bad default", """{ "rows": [{ "topic": "A" }], "defaults": { "format": "4:3" } }""", ["/rows/0/format"] },
        { "sheet not text", """{ "sheet": 7, "rows": [{ "topic": "A" }] }""", ["/sheet"] },
        { "the same row twice", """{ "rows": [{ "topic": "A" }, { "topic": "A" }] }""", ["/rows/1"] },
        { "language not a tag", """{ "rows": [{ "topic": "A", "language": "english please" }] }""", ["/rows/0/language"] },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_names_the_fields_and_makes_no_job(string why, string body, string[] fields)
    {
        var api = Api;

        var answer = await api.SendAsync(HttpMethod.Post, "/v1/jobs", await api.KeyAsync(), body);

        Assert.True(fields.SequenceEqual(answer.AssertProblem(HttpStatusCode.BadRequest)), $"{why}: {answer.Text}");
        Assert.Empty(await api.Jobs.ListBySheetAsync("api:default", CancellationToken.None));
    }

    [Fact]
    public async Task A_row_error_says_what_the_sheet_s_error_cell_says()
    {
        var api = Api;

        var answer = await api.SendAsync(HttpMethod.Post, "/v1/jobs", await api.KeyAsync(), """{ "rows": [{ "topic": "A", "duration": 5 }] }""");

        answer.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("Duration 5 s is outside 10-90 s.", (string)answer.Body!["errors"]!["/rows/0/duration"]![0]!);
    }

    [Fact]
    public async Task Too_many_rows_are_refused_with_the_limit()
    {
        var api = Api;

        var answer = await api.SendAsync(HttpMethod.Post, "/v1/jobs", await api.KeyAsync(), ApiHost.Rows("too-many", [.. Enumerable.Range(0, 101).Select(i => $"Topic {i}")]));

        Assert.Equal(["/rows"], answer.AssertProblem(HttpStatusCode.BadRequest));
        Assert.Empty(await api.Jobs.ListBySheetAsync("api:too-many", CancellationToken.None));
        Assert.Contains("at most 100", (string)answer.Body!["errors"]!["/rows"]![0]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/jobs?limit=0", "limit")]
    [InlineData("/v1/jobs?limit=101", "limit")]
    [InlineData("/v1/jobs?limit=ten", "limit")]
    [InlineData("/v1/jobs?status=done", "status")]
    [InlineData("/v1/jobs?cursor=bm90LWEtY3Vyc29y", "cursor")]
    [InlineData("/v1/jobs?sheet=", "sheet")]
    [InlineData("/v1/jobs?page=2", "page")]
    public async Task Bad_list_parameters_are_named(string path, string field)
    {
        var api = Api;

        var answer = await api.SendAsync(HttpMethod.Get, path, await api.KeyAsync());

        Assert.Equal([field], answer.AssertProblem(HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("regenerate", """{ "stage": "publish" }""", "/stage")]
    [InlineData("regenerate", """{ "stage": "sound" }""", "/stage")]
    [InlineData("regenerate", """{ "reason": "no" }""", "/reason")]
    [InlineData("approve", """{ "generation": 0 }""", "/generation")]
    [InlineData("reject", """{ "reason": 12 }""", "/reason")]
    [InlineData("cancel", """{ "why": "x" }""", "/why")]
    [InlineData("approve", "[1]", "/")]
    public async Task Bad_decision_bodies_are_named_and_decide_nothing(string action, string body, string field)
    {
        var api = Api;
        var key = await api.KeyAsync();
        var id = ApiHost.Ids(await api.CreateAsync(key, "crm", $"Tips {Guid.NewGuid()}"))[0];
        await Testing.TestReviews.AwaitReviewAsync(api.Jobs, id);

        var answer = await api.SendAsync(HttpMethod.Post, $"/v1/jobs/{id}/{action}", key, body);

        Assert.Equal([field], answer.AssertProblem(HttpStatusCode.BadRequest));
        Assert.Null(await api.Host.Get<IReviewLedger>().GetDecisionAsync(id, 1, CancellationToken.None));
        Assert.Equal("review", (await api.Jobs.GetAsync(id, CancellationToken.None))!.Status);
    }

    [Theory]
    [InlineData("""{ "owner": "x" }""", "/scope")]
    [InlineData("""{ "scope": "admin" }""", "/scope")]
    [InlineData("""{ "scope": "read", "owner": "  " }""", "/owner")]
    [InlineData("""{ "scope": "read", "expires": "never" }""", "/expires")]
    public async Task Bad_key_requests_are_named(string body, string field)
    {
        var api = Api;

        var answer = await api.SendAsync(HttpMethod.Post, "/v1/keys", await api.KeyAsync(), body);

        Assert.Equal([field], answer.AssertProblem(HttpStatusCode.BadRequest));
    }
}

using System.Net;
using ViralForge.Functions.Api;

namespace ViralForge.Functions.Tests.Api;

/// <summary>GET /v1/jobs pages newest first with an opaque cursor: every job once, in order, while new jobs arrive.</summary>
public sealed class ApiPaginationTests
{
    [Fact]
    public async Task Paging_sees_every_earlier_job_once_in_order_while_new_jobs_arrive()
    {
        await using var api = await ApiHost.StartAsync();
        var key = await api.KeyAsync();
        var before = new List<Guid>();
        for (var batch = 0; batch < 4; batch++)
        {
            before.AddRange(ApiHost.Ids(await api.CreateAsync(key, "crm", [.. Enumerable.Range(0, 5).Select(i => $"Idea {batch}-{i}")])));
        }

        var seen = new List<Guid>();
        var arrived = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await api.SendAsync(HttpMethod.Get, "/v1/jobs?sheet=api:crm&limit=3" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), key);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var jobs = page.Body!["jobs"]!.AsArray();
            Assert.InRange(jobs.Count, 1, 3);
            seen.AddRange(jobs.Select(j => Guid.Parse((string)j!["id"]!)));
            cursor = (string?)page.Body["nextCursor"];
            pages++;
            // New jobs between pages, in the same sheet, land before the first page: never in a later one.
            arrived.AddRange(ApiHost.Ids(await api.CreateAsync(key, "crm", $"Arrived while paging {pages}")));
        }
        while (cursor is not null);

        Assert.Equal(7, pages);
        Assert.Equal(Enumerable.Reverse(before), seen);
        Assert.Empty(seen.Intersect(arrived));
        // Listed again from the top, the newcomers come first, newest first.
        var fresh = await api.SendAsync(HttpMethod.Get, $"/v1/jobs?sheet=api:crm&limit={arrived.Count}", key);
        Assert.Equal(Enumerable.Reverse(arrived), fresh.Body!["jobs"]!.AsArray().Select(j => Guid.Parse((string)j!["id"]!)));
    }

    [Fact]
    public async Task Jobs_made_in_the_same_microsecond_are_ordered_by_id_and_none_is_skipped()
    {
        await using var api = await ApiHost.StartAsync();
        var key = await api.KeyAsync();
        var ids = ApiHost.Ids(await api.CreateAsync(key, "crm", "A", "B", "C", "D", "E"));
        await api.Host.Database.ScalarAsync<long>("WITH u AS (UPDATE jobs SET created_at = '2026-12-07T12:00:00Z' RETURNING 1) SELECT count(*) FROM u");

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await api.SendAsync(HttpMethod.Get, "/v1/jobs?limit=2" + (cursor is null ? "" : "&cursor=" + cursor), key);
            seen.AddRange(page.Body!["jobs"]!.AsArray().Select(j => Guid.Parse((string)j!["id"]!)));
            cursor = (string?)page.Body["nextCursor"];
        }
        while (cursor is not null);

        Assert.Equal(ids.OrderByDescending(i => i.ToString(), StringComparer.Ordinal), seen);
    }

    [Fact]
    public void The_cursor_round_trips_and_refuses_what_it_did_not_make()
    {
        var at = new DateTimeOffset(2026, 12, 7, 14, 26, 46, TimeSpan.Zero).AddTicks(1234560);
        var id = Guid.NewGuid();

        var text = ApiCursor.Encode(at, id);

        Assert.True(ApiCursor.TryDecode(text, out var cursor));
        Assert.Equal((at, id), (cursor!.CreatedAt, cursor.Id));
        Assert.Matches("^[A-Za-z0-9_-]+$", text);
        Assert.False(ApiCursor.TryDecode("", out _));
        Assert.False(ApiCursor.TryDecode("!!!", out _));
        Assert.False(ApiCursor.TryDecode(text[..^2], out _));
        Assert.False(ApiCursor.TryDecode("B" + text[1..], out _)); // another version byte
    }
}

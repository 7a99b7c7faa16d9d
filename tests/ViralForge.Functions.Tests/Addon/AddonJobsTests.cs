using System.Net;
using System.Text.Json.Nodes;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Functions.Tests.Addon;

/// <summary>POST /jobs: rows validated as intake validates them, jobs made once per unchanged row, bad input answered clearly.</summary>
public sealed class AddonJobsTests
{
    private static string SheetId => $"gsheet:{AddonHost.SpreadsheetId}/Ideas";

    [Fact]
    public async Task The_same_batch_twice_makes_each_job_once()
    {
        await using var addon = await AddonHost.StartAsync();
        var batch = AddonHost.Batch([(5, "Three tips for sourdough", "30"), (6, "Why cats sleep so much", "")]);

        var (first, firstBody) = await addon.SubmitAsync(batch);
        var (second, secondBody) = await addon.SubmitAsync(batch);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var firstResults = firstBody!["results"]!.AsArray();
        var secondResults = secondBody!["results"]!.AsArray();
        Assert.All(firstResults, r => Assert.True((bool)r!["created"]!));
        Assert.All(secondResults, r => Assert.False((bool)r!["created"]!));
        Assert.Equal(firstResults.Select(r => (string)r!["jobId"]!), secondResults.Select(r => (string)r!["jobId"]!));
        Assert.Equal([5, 6], secondResults.Select(r => (int)r!["rowNumber"]!));
        Assert.All(secondResults, r => Assert.Equal("queued", (string)r!["status"]!));
        var jobs = await addon.Host.Get<IJobStore>().ListBySheetAsync(SheetId, CancellationToken.None);
        Assert.Equal(2, jobs.Count);
        // The first stage was enqueued once per job (a named task), not once per submission.
        Assert.Equal(2, await CountAsync(addon, "SELECT count(*) FROM tasks WHERE queue = 'vf-trends'"));
    }

    [Fact]
    public async Task A_changed_row_makes_a_new_job()
    {
        await using var addon = await AddonHost.StartAsync();

        var (_, before) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three tips for sourdough", "30")]));
        var (_, after) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three tips for sourdough", "45")]));

        Assert.True((bool)after!["results"]![0]!["created"]!);
        Assert.NotEqual((string)before!["results"]![0]!["jobId"]!, (string)after["results"]![0]!["jobId"]!);
        Assert.Equal(2, (await addon.Host.Get<IJobStore>().ListBySheetAsync(SheetId, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Empty_cells_take_the_defaults_and_a_row_equal_after_defaults_is_the_same_job()
    {
        await using var addon = await AddonHost.StartAsync();

        var (_, defaulted) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three tips for sourdough", "")], defaults: """{ "Duration": "45", "Platform": "tiktok" }"""));
        var (_, spelledOut) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three tips for sourdough", "45")], defaults: """{ "Platform": "tiktok" }"""));

        var jobId = Guid.Parse((string)defaulted!["results"]![0]!["jobId"]!);
        Assert.Equal(jobId, Guid.Parse((string)spelledOut!["results"]![0]!["jobId"]!));
        Assert.False((bool)spelledOut["results"]![0]!["created"]!);
        var job = (await addon.Host.Get<IJobStore>().GetAsync(jobId, CancellationToken.None))!;
        Assert.Equal(45, job.Request.DurationSeconds);
        Assert.Equal(Platforms.TikTok, job.Request.Platforms);
    }

    [Fact]
    public async Task Invalid_rows_are_answered_with_their_errors_while_valid_rows_go_on()
    {
        await using var addon = await AddonHost.StartAsync();
        var batch = AddonHost.Batch([(5, "Three tips for sourdough", "30"), (6, "", "30"), (7, "Crispy roast potatoes", "5"), (8, "Why cats sleep so much", "20")]);

        var (response, body) = await addon.SubmitAsync(batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = body!["results"]!.AsArray();
        Assert.Equal([5, 6, 7, 8], results.Select(r => (int)r!["rowNumber"]!));
        Assert.Equal(["queued", "invalid", "invalid", "queued"], results.Select(r => (string)r!["status"]!));
        Assert.Equal("Topic is required", (string)results[1]!["error"]!);
        Assert.Equal("Duration 5 s is outside 10-90 s", (string)results[2]!["error"]!);
        Assert.Null(results[1]!["jobId"]);
        Assert.False((bool)results[1]!["created"]!);
        Assert.Null(results[0]!["error"]);
        Assert.Equal(2, (await addon.Host.Get<IJobStore>().ListBySheetAsync(SheetId, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_repeated_row_in_one_batch_is_reported_as_intake_reports_it()
    {
        await using var addon = await AddonHost.StartAsync();

        var (_, body) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three tips for sourdough", "30"), (9, "Three tips for sourdough", "30")]));

        var results = body!["results"]!.AsArray();
        Assert.Equal("invalid", (string)results[1]!["status"]!);
        Assert.Equal("Same inputs as row 5; change a cell to make a separate video.", (string)results[1]!["error"]!);
    }

    [Fact]
    public async Task A_hundred_row_batch_makes_a_hundred_jobs()
    {
        await using var addon = await AddonHost.StartAsync();
        var rows = Enumerable.Range(2, 100).Select(n => (n, $"Idea number {n}", "30")).ToList();

        var (response, body) = await addon.SubmitAsync(AddonHost.Batch(rows));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = body!["results"]!.AsArray();
        Assert.Equal(100, results.Count);
        Assert.Equal(rows.Select(r => r.n), results.Select(r => (int)r!["rowNumber"]!));
        Assert.Equal(100, results.Select(r => (string)r!["jobId"]!).Distinct().Count());
        Assert.Equal(100, (await addon.Host.Get<IJobStore>().ListBySheetAsync(SheetId, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Too_many_rows_are_refused_with_the_limit_and_nothing_is_made()
    {
        await using var addon = await AddonHost.StartAsync();
        var rows = Enumerable.Range(2, 101).Select(n => (n, $"Idea number {n}", "30")).ToList();

        var (response, body) = await addon.SubmitAsync(AddonHost.Batch(rows));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The request has 101 rows; at most 100 are allowed in one request. Send them in batches.", (string)body!["detail"]!);
        Assert.Empty(await addon.Host.Get<IJobStore>().ListBySheetAsync(SheetId, CancellationToken.None));
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { """{"spreadsheetId": "1Bxi""", "not the JSON expected" },
        { "null", "JSON null" },
        { """{"spreadsheetId": 5, "sheetName": "Ideas", "rows": []}""", "not the JSON expected" },
        { """{"spreadsheetId": "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms", "rows": [{"rowNumber": 2, "cells": {"Topic": "x"}}]}""", "sheetName is missing" },
        { """{"spreadsheetId": "not/an id", "sheetName": "Ideas", "rows": [{"rowNumber": 2, "cells": {"Topic": "x"}}]}""", "is not a spreadsheet id" },
        { """{"spreadsheetId": "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms", "sheetName": "Ideas", "rows": []}""", "no rows" },
        { """{"spreadsheetId": "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms", "sheetName": "Ideas", "rows": [{"cells": {"Topic": "x"}}]}""", "rows[0] needs a rowNumber" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_malformed_body_is_400_saying_what_is_wrong(string json, string expected)
    {
        await using var addon = await AddonHost.StartAsync();

        var (response, body) = await addon.SubmitAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, (string)body!["detail"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", (string)body["detail"]!, StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync(addon, "SELECT count(*) FROM jobs"));
    }

    [Fact]
    public async Task Numbers_in_cells_are_read_as_their_text_and_unknown_columns_are_ignored()
    {
        await using var addon = await AddonHost.StartAsync();
        var json = new JsonObject
        {
            ["spreadsheetId"] = AddonHost.SpreadsheetId,
            ["sheetName"] = "Ideas",
            ["rows"] = new JsonArray(new JsonObject
            {
                ["rowNumber"] = 3,
                ["cells"] = new JsonObject { ["topic "] = "Three tips for sourdough", ["Duration"] = 40, ["Owner"] = "Ana", ["Status"] = "published" },
            }),
        }.ToJsonString();

        var (response, body) = await addon.SubmitAsync(json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var job = (await addon.Host.Get<IJobStore>().GetAsync(Guid.Parse((string)body!["results"]![0]!["jobId"]!), CancellationToken.None))!;
        Assert.Equal(40, job.Request.DurationSeconds);
        Assert.Equal("queued", job.Status);
    }

    private static async Task<long> CountAsync(AddonHost addon, string sql)
    {
        await using var data = Npgsql.NpgsqlDataSource.Create(addon.Host.Database.ConnectionString);
        await using var command = data.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.Sheets;
using ViralForge.Core.Costs;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Functions.Tests.Simulated;
using ViralForge.RenderJob;
using ViralForge.Testing;
using ViralForge.Testing.Providers;
using Xunit.Abstractions;

namespace ViralForge.Functions.Tests;

/// <summary>
/// Issue 12's done-when run: rows of a Google Sheet go end to end in the gcp profile (Sheets, Cloud Tasks, Storage and
/// Cloud Run played by <see cref="SimulatedGoogleCloud"/>) with the paid providers' real clients pointed at a second
/// WireMock server answering in OpenAI's and ElevenLabs' own wire formats: the OpenAI script writer and moderation for
/// every row, an ElevenLabs voice for one row and an OpenAI voice (speech, then whisper-1 word timings) for the other.
/// </summary>
public sealed class GcpPaidProvidersPipelineTests(ITestOutputHelper output)
{
    private const string SpreadsheetId = "1c0StPaidProvidersSheet0123456789abcdefghijk";
    private const string Tab = "Video ideas";
    private const string OpenAIKey = "sk-proj-PIPELINE0123456789abcdefSECRET";
    private const string ElevenLabsKey = "sk_pipeline_0123456789abcdefSECRET";

    // Both rows last 10 s: the script fits 24 to 31 words at 165 a minute, the narration about 9.5 s (the render adds a 0.5 s tail).
    private const int DurationSeconds = 10;
    private const double NarrationSeconds = 9.5;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_row_with_an_elevenlabs_voice_and_one_with_an_openai_voice_publish_and_each_cost_cell_is_its_ledgers_sum_paid_once()
    {
        var script = OpenAIWire.Script(words: 29);
        var narration = Narration(script);
        var elevenLabsAudio = Convert.ToBase64String(await VendorAudio.SpeechAsync(narration, NarrationSeconds, "mp3"));
        var openAIAudio = await VendorAudio.SpeechAsync(narration, NarrationSeconds, "wav");
        using var vendors = WireMockServer.Start();
        AnswerAsOpenAI(vendors, script, openAIAudio, narration);
        AnswerAsElevenLabs(vendors, elevenLabsAudio);

        using var google = new SimulatedGoogleCloud();
        google.AddSheet(SpreadsheetId, Tab,
        [
            ["Topic", "Platform", "Duration", "Voice", "Notes"],
            ["Why cats knock things off tables", "youtube", "10", "elevenlabs:Rachel", "Keep it light."],
            ["Why cats sleep all day", "tiktok", "10", "openai:alloy", ""],
        ]);
        using var scratch = new TempFolder();
        var url = $"http://127.0.0.1:{TestHost.FreePort()}";
        var settings = Settings(google, vendors, url, scratch.Path);
        await using var host = await TestHost.StartAsync(dispatch: false, settings: settings, url: url, replace: GcpPipelineSettings.SimulatedCredentials);
        google.OnJobRun = overrides => RunRenderJobAsync(settings, host.Database.ConnectionString, overrides);

        using var delivery = new CancellationTokenSource();
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        var deliverer = google.DeliverAsync(client, TimeProvider.System, maxAttempts: 5, delivery.Token);
        var sheet = host.Get<ISheetRegistry>().Open($"gsheet:{SpreadsheetId}/{Tab}");
        var ids = (await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None)).Where(r => r.JobId is not null).Select(r => r.JobId!.Value).ToList();
        Assert.Equal(2, ids.Count);
        var jobs = await WaitAsync(host, ids);
        var sheetCells = await WaitForCellsAsync(google, row => row == "published");
        await delivery.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deliverer);

        // Each row reached its final status through the paid providers.
        Assert.All(jobs, j => Assert.Equal(JobStatus.Published, j.Status));
        Assert.Equal("published", sheetCells.Cell(1, SheetContract.Status));
        Assert.Equal("published", sheetCells.Cell(2, SheetContract.Status));
        var voices = new List<string?>();
        foreach (var id in ids)
        {
            var run = await host.Get<IJobStore>().GetLatestCompletedAsync(id, StageName.Voice, int.MaxValue, CancellationToken.None);
            voices.Add(Core.Stages.StageJson.FromElement<Core.Stages.VoiceOutput>(run!.Output!.Value).Voice);
        }
        Assert.Equal(["elevenlabs:Rachel", "openai:alloy"], voices);

        // Each row's Cost cell is the sum of its job's rows in the cost ledger (PostgreSQL), and each job paid for a script and a voice.
        var ledger = host.Get<ICostLedger>();
        var totals = new List<decimal>();
        for (var row = 1; row <= 2; row++)
        {
            var calls = await ledger.ListAsync(ids[row - 1], CancellationToken.None);
            var total = calls.Sum(c => c.Usd);
            output.WriteLine($"row {row}: {string.Join(", ", calls.Select(c => $"{c.Provider} {c.Work.Stage}/{c.Work.Call} {c.Units} {c.UnitKind} ${c.Usd}"))}; cell {sheetCells.Cell(row, SheetContract.Cost)}");
            Assert.True(total > 0, $"row {row} paid nothing");
            Assert.Equal(JobCost.Cell(total), sheetCells.Cell(row, SheetContract.Cost));
            Assert.Equal(Math.Round(total, JobCost.Places), decimal.Parse(sheetCells.Cell(row, SheetContract.Cost), NumberStyles.Number, CultureInfo.InvariantCulture));
            totals.Add(total);
        }
        // analysis/insight (on by default in gcp with an OpenAI key), script/moderation, script/script, then the voice's calls
        Assert.Equal(["openai", "openai", "openai", "elevenlabs"], Providers(await ledger.ListAsync(ids[0], CancellationToken.None)));
        Assert.Equal(["openai", "openai", "openai", "openai", "openai"], Providers(await ledger.ListAsync(ids[1], CancellationToken.None)));
        var voiceRun = (await host.Get<IJobStore>().ListStageRunsAsync(ids[1], CancellationToken.None)).Single(r => r.Stage == StageName.Voice);
        Assert.Equal(2, voiceRun.Attempts);

        // The Cost cells went to Sheets as JSON numbers (RAW keeps them numbers, so =SUM adds the column); every other cell as a string.
        var costColumn = google.Values(SpreadsheetId, Tab)[0].ToList().IndexOf(SheetContract.Cost);
        var costCellsSent = 0;
        foreach (var write in google.Server.LogEntries.Where(e => e.RequestMessage.Path!.EndsWith("/values:batchUpdate", StringComparison.Ordinal)))
        {
            foreach (var range in JsonNode.Parse(write.RequestMessage.Body!)!["data"]!.AsArray())
            {
                Assert.True(A1Notation.TryParse((string)range!["range"]!, out var cells));
                var sent = range["values"]!.AsArray().Single()!.AsArray();
                for (var i = 0; i < sent.Count; i++)
                {
                    var isCost = cells.FirstRow > 1 && cells.FirstColumn + i == costColumn;
                    Assert.Equal(isCost ? JsonValueKind.Number : JsonValueKind.String, sent[i]!.GetValueKind());
                    costCellsSent += isCost ? 1 : 0;
                }
            }
        }
        Assert.True(costCellsSent >= 2, $"{costCellsSent} Cost cells were written");

        // Each paid endpoint was called exactly as often as the rows need: one script and one moderation per row, one
        // narration per voice row (the OpenAI row's voice stage failed once after its speech was paid, and its second
        // delivery reused it), the whisper alignment again after its unreadable answer, the voices list once.
        var paidCalls = PaidCalls(vendors);
        Assert.Equal(ExpectedPaidCalls, paidCalls);

        // Cloud Tasks delivers at least once: the voice task of the OpenAI row arrives again. It pays for nothing and
        // the row's cost stays what it was.
        var voiceTask = google.DeliveredTasks.ToList().FindIndex(t =>
            t.Url.EndsWith("/stages/voice", StringComparison.Ordinal) && t.Body.Contains(ids[1].ToString(), StringComparison.Ordinal));
        Assert.True(voiceTask >= 0, "the OpenAI row's voice task was never delivered");
        var answer = await google.RedeliverAsync(client, TimeProvider.System, voiceTask, CancellationToken.None);
        Assert.True((int)answer is >= 200 and < 300, $"the redelivered voice task was answered {(int)answer}");
        var scriptTask = google.DeliveredTasks.ToList().FindIndex(t =>
            t.Url.EndsWith("/stages/script", StringComparison.Ordinal) && t.Body.Contains(ids[0].ToString(), StringComparison.Ordinal));
        Assert.True(scriptTask >= 0, "the ElevenLabs row's script task was never delivered");
        answer = await google.RedeliverAsync(client, TimeProvider.System, scriptTask, CancellationToken.None);
        Assert.True((int)answer is >= 200 and < 300, $"the redelivered script task was answered {(int)answer}");
        Assert.Equal(ExpectedPaidCalls, PaidCalls(vendors));
        for (var row = 1; row <= 2; row++)
        {
            Assert.Equal(totals[row - 1], (await ledger.ListAsync(ids[row - 1], CancellationToken.None)).Sum(c => c.Usd));
        }
        Assert.Equal(PublishedStatuses(jobs), PublishedStatuses(await WaitAsync(host, ids)));
        Assert.Equal(JobCost.Cell(totals[1]), (await WaitForCellsAsync(google, row => row == "published")).Cell(2, SheetContract.Cost));

        // The keys went only to their own vendor, as its auth header, and never into the sheet.
        Assert.All(vendors.LogEntries.Where(e => e.RequestMessage.Path!.StartsWith("/v1/text-to-speech", StringComparison.Ordinal) || e.RequestMessage.Path == ElevenLabsWire.VoicesPath),
            e => Assert.Equal(ElevenLabsKey, e.RequestMessage.Headers!["xi-api-key"].Single()));
        Assert.All(vendors.LogEntries.Where(e => e.RequestMessage.Path!.StartsWith("/v1/", StringComparison.Ordinal) && !e.RequestMessage.Path!.StartsWith("/v1/text-to-speech", StringComparison.Ordinal)),
            e => Assert.Equal($"Bearer {OpenAIKey}", e.RequestMessage.Headers!["Authorization"].Single()));
        Assert.DoesNotContain(google.Values(SpreadsheetId, Tab).SelectMany(r => r), c => c.Contains("SECRET", StringComparison.Ordinal));
    }

    /// <summary>
    /// WireMock log counts per paid (or, for the voices list, metered) endpoint for two rows: the speech once although
    /// the OpenAI row's voice stage ran twice, the alignment twice because its first answer was unreadable.
    /// </summary>
    private static readonly Dictionary<string, int> ExpectedPaidCalls = new(StringComparer.Ordinal)
    {
        [OpenAIWire.ChatPath] = 4, // per row: the analysis's trend insight and the script
        [OpenAIWire.ModerationPath] = 2,
        [OpenAIWire.SpeechPath] = 1,
        [OpenAIWire.TranscriptionPath] = 2,
        [ElevenLabsWire.SpeakPath(ElevenLabsWire.RachelId)] = 1,
        [ElevenLabsWire.VoicesPath] = 1,
    };

    private static Dictionary<string, int> PaidCalls(WireMockServer vendors) =>
        ExpectedPaidCalls.Keys.ToDictionary(path => path, path => vendors.LogEntries.Count(e => e.RequestMessage.Path == path), StringComparer.Ordinal);

    private static List<string> Providers(IReadOnlyList<PaidCall> calls) =>
        [.. calls.OrderBy(c => c.Work.Stage).ThenBy(c => c.Work.Call, StringComparer.Ordinal).Select(c => c.Provider)];

    private static List<string> PublishedStatuses(IEnumerable<Job> jobs) => [.. jobs.Select(j => j.Status)];

    /// <summary>What the voice stage speaks: the script's hook, beats and call to action (VideoScript.NarrationText).</summary>
    private static string Narration(JsonObject script) =>
        string.Join(" ", new[] { (string)script["hook"]! }
            .Concat(script["beats"]!.AsArray().Select(b => (string)b!["narration"]!))
            .Append((string)script["call_to_action"]!));

    /// <summary>
    /// OpenAI: every chat call answers the script (structured output in message.content), moderation passes it, speech
    /// answers the WAV, and whisper-1 answers the word timings of what it was sent to speak.
    /// </summary>
    private static void AnswerAsOpenAI(WireMockServer vendors, JsonObject script, byte[] audio, string narration)
    {
        vendors.Given(Request.Create().WithPath(OpenAIWire.ChatPath).UsingPost())
            .RespondWith(Json(OpenAIWire.Completion(script.ToJsonString(), promptTokens: 1500, cachedTokens: 0, completionTokens: 350)));
        // The analysis stage's trend insight asks with its own schema (smaller priority numbers win in WireMock; the default is 0).
        vendors.Given(Request.Create().WithPath(OpenAIWire.ChatPath).UsingPost().WithBody(b => b!.Contains("\"trend_insight_v1\"", StringComparison.Ordinal))).AtPriority(-1)
            .RespondWith(Json(OpenAIWire.Completion(
                """{"common":["Questions open most of them."],"hook_lines":["Why is your cat like this?","Three cat habits explained.","Nobody tells you this about cats."]}""",
                promptTokens: 1300, cachedTokens: 0, completionTokens: 200)));
        vendors.Given(Request.Create().WithPath(OpenAIWire.ModerationPath).UsingPost()).RespondWith(Json(OpenAIWire.Moderation()));
        vendors.Given(Request.Create().WithPath(OpenAIWire.SpeechPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "audio/wav").WithBody(audio));
        // The first alignment answer is cut off (the delivery fails after the speech was paid for, as a crash before the
        // commit would): the queue's redelivery reuses the stored speech and pays only for the alignment again.
        vendors.Given(Request.Create().WithPath(OpenAIWire.TranscriptionPath).UsingPost()).InScenario("alignment").WillSetStateTo("answered")
            .RespondWith(Json("""{"text":"Your cat","words":[{"word":"You"""));
        vendors.Given(Request.Create().WithPath(OpenAIWire.TranscriptionPath).UsingPost()).InScenario("alignment").WhenStateIs("answered")
            .RespondWith(Json(OpenAIWire.Transcription(narration, NarrationSeconds)));
    }

    /// <summary>ElevenLabs: the voices list, and with-timestamps for Rachel with the characters of whatever text it was sent, billed per character.</summary>
    private static void AnswerAsElevenLabs(WireMockServer vendors, string audioBase64)
    {
        vendors.Given(Request.Create().WithPath(ElevenLabsWire.VoicesPath).UsingGet()).RespondWith(Json(ElevenLabsWire.Voices));
        vendors.Given(Request.Create().WithPath(ElevenLabsWire.SpeakPath(ElevenLabsWire.RachelId)).UsingPost()).RespondWith(Response.Create().WithCallback(request =>
        {
            var text = (string)JsonNode.Parse(request.Body!)!["text"]!;
            return new ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMockList<string>>
                {
                    ["Content-Type"] = new("application/json"),
                    ["character-cost"] = new(text.Length.ToString(CultureInfo.InvariantCulture)),
                },
                BodyData = new BodyData { BodyAsString = ElevenLabsWire.WithTimestamps(text, audioBase64, NarrationSeconds), DetectedBodyType = BodyType.String },
            };
        }));
    }

    private static IResponseBuilder Json(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);

    private async Task<IReadOnlyList<Job>> WaitAsync(TestHost host, List<Guid> ids)
    {
        try
        {
            return await host.WaitForJobsAsync(ids, j => j.IsTerminal, Patience);
        }
        catch (TimeoutException)
        {
            // Say where each job got stuck: its events carry every stage's errors.
            foreach (var id in ids)
            {
                foreach (var e in await host.Get<IJobStore>().ListEventsAsync(id, CancellationToken.None))
                {
                    output.WriteLine($"{id} {e.Kind} {e.Stage} {e.Message}");
                }
            }
            throw;
        }
    }

    /// <summary>The sheet once both rows' Status satisfies <paramref name="done"/> (the write coalescer flushes a little after a job ends), or as it is after 30 s.</summary>
    private static async Task<SheetCells> WaitForCellsAsync(SimulatedGoogleCloud google, Func<string, bool> done)
    {
        var cells = new SheetCells(google.Values(SpreadsheetId, Tab));
        for (var waited = System.Diagnostics.Stopwatch.StartNew();
             waited.Elapsed < TimeSpan.FromSeconds(30) && !(done(cells.Cell(1, SheetContract.Status)) && done(cells.Cell(2, SheetContract.Status)));
             cells = new SheetCells(google.Values(SpreadsheetId, Tab)))
        {
            await Task.Delay(200);
        }
        return cells;
    }

    /// <summary>jobs:run runs the render job's real entry point with the job's settings and the execution's overrides.</summary>
    private async Task<bool> RunRenderJobAsync(Dictionary<string, string?> settings, string database, IReadOnlyDictionary<string, string> overrides)
    {
        var environment = GcpPipelineSettings.RenderJobEnvironment(settings, database, overrides);
        using var errors = new StringWriter();
        var code = await RenderJobEntry.RunAsync([], environment, errors, CancellationToken.None, GcpPipelineSettings.SimulatedCredentials);
        output.WriteLine($"render job exited {code} {errors}");
        return code == 0;
    }


    private static Dictionary<string, string?> Settings(SimulatedGoogleCloud google, WireMockServer vendors, string url, string workFolder)
    {
        var settings = GcpPipelineSettings.For(google, url, workFolder);
        // The paid providers' real clients, pointed at WireMock; their keys make the gcp profile choose them.
        settings["OpenAI:ApiKey"] = OpenAIKey;
        settings["OpenAI:Endpoint"] = vendors.Url + "/v1";
        settings["OpenAI:RetryBaseDelay"] = "00:00:00.010";
        settings["OpenAI:VoiceRetryBaseDelay"] = "00:00:00.010";
        settings["ElevenLabs:ApiKey"] = ElevenLabsKey;
        settings["ElevenLabs:BaseUrl"] = vendors.Url + "/";
        settings["ElevenLabs:RetryBaseDelay"] = "00:00:00.010";
        return settings;
    }

    /// <summary>The sheet's values with cells found by column name.</summary>
    private sealed class SheetCells(IReadOnlyList<IReadOnlyList<string>> values)
    {
        public string Cell(int row, string column)
        {
            var c = values[0].ToList().IndexOf(column);
            return c >= 0 && row < values.Count && c < values[row].Count ? values[row][c] : "";
        }
    }
}

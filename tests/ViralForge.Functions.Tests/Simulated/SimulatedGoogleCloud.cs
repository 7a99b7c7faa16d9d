using System.Collections.Concurrent;
using ViralForge.Adapters.Google.Sheets;
using ViralForge.Functions.Tests.Auth;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ViralForge.Functions.Tests.Simulated;

/// <summary>
/// One WireMock server playing the Google APIs the production profile calls, with state, in the documented wire
/// formats (../shared/API_REFERENCE.md): Sheets values:batchGet/batchUpdate over an in-memory grid, Cloud Storage
/// resumable uploads/downloads/list/delete over in-memory objects, Cloud Tasks tasks.create (409 on a repeated name)
/// with a deliverer that posts each task to its URL with an OIDC token, Cloud Run jobs:run with operations, and
/// Google's JWKS.
/// </summary>
public sealed class SimulatedGoogleCloud : IDisposable
{
    private readonly ConcurrentDictionary<string, List<List<Cell>>> sheets = new();
    private readonly ConcurrentDictionary<string, Grid> grids = new();
    private readonly ConcurrentDictionary<string, byte[]> objects = new();
    private readonly ConcurrentDictionary<string, UploadSession> sessions = new();
    private readonly ConcurrentDictionary<string, bool> taskNames = new();
    private readonly ConcurrentDictionary<string, Operation> operations = new();
    private readonly Channel<CreatedTask> tasks = Channel.CreateUnbounded<CreatedTask>();
    private readonly ConcurrentQueue<CreatedTask> delivered = new();
    private readonly System.Security.Cryptography.RSA signingKey = System.Security.Cryptography.RSA.Create(2048);
    private int sheetWrites;
    private int sheetReads;
    private int taskCreates;
    private int jobRuns;

    public SimulatedGoogleCloud()
    {
        Server = WireMockServer.Start();
        Tokens = new TestSigningKey("simulated-google-key");
        MapSheets();
        MapStorage();
        MapTasks();
        MapCloudRun();
        // IAM Credentials signBlob: signs the payload with the service account's (here: a test) key, for V4 signed URLs.
        Server.Given(Request.Create().WithPath(p => p.StartsWith("/v1/projects/-/serviceAccounts/", StringComparison.Ordinal) && p.EndsWith(":signBlob", StringComparison.Ordinal)).UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var payload = Convert.FromBase64String((string)JsonNode.Parse(request.Body!)!["payload"]!);
                var signature = signingKey.SignData(payload, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
                return Json(200, new JsonObject { ["keyId"] = "simulated-key", ["signedBlob"] = Convert.ToBase64String(signature) }.ToJsonString());
            }));
        Server.Given(Request.Create().WithPath("/oauth2/v3/certs").UsingGet())
            .RespondWith(Response.Create().WithCallback(_ => Json(200, Tokens.JwksJson())));
    }

    public WireMockServer Server { get; }

    public TestSigningKey Tokens { get; }

    /// <summary>Base address of every simulated API, ending in a slash.</summary>
    public string BaseUrl => Server.Url! + "/";

    public int SheetWriteCalls => Volatile.Read(ref sheetWrites);

    public int SheetReadCalls => Volatile.Read(ref sheetReads);

    public int TaskCreates => Volatile.Read(ref taskCreates);

    public int JobRuns => Volatile.Read(ref jobRuns);

    /// <summary>Runs a Cloud Run job execution: given the env overrides, returns whether it succeeded.</summary>
    public Func<IReadOnlyDictionary<string, string>, Task<bool>>? OnJobRun { get; set; }

    public IReadOnlyDictionary<string, byte[]> Objects => objects;

    /// <summary>Puts rows into a tab; every cell is a plain value unless it starts with '=' (a formula typed by a person).</summary>
    /// <remarks>The tab's grid is as wide as its widest row (as a trimmed sheet is), so adding columns takes an appendDimension.</remarks>
    public void AddSheet(string spreadsheetId, string tab, IEnumerable<IEnumerable<string>> rows)
    {
        var grid = rows.Select(r => r.Select(v => new Cell(v, v.StartsWith('='))).ToList()).ToList();
        sheets[Key(spreadsheetId, tab)] = grid;
        grids[Key(spreadsheetId, tab)] = new Grid(grids.Count, Math.Max(1000, grid.Count), grid.Max(r => r.Count));
    }

    /// <summary>The tab's current values, row by row.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Values(string spreadsheetId, string tab)
    {
        lock (sheets)
        {
            return sheets[Key(spreadsheetId, tab)].Select(r => (IReadOnlyList<string>)r.Select(c => c.Value).ToList()).ToList();
        }
    }

    /// <summary>Whether a cell holds a formula (typed by a person); RAW writes never make one.</summary>
    public bool IsFormula(string spreadsheetId, string tab, int row, int column)
    {
        lock (sheets)
        {
            var grid = sheets[Key(spreadsheetId, tab)];
            return row < grid.Count && column < grid[row].Count && grid[row][column].IsFormula;
        }
    }

    /// <summary>
    /// Delivers created tasks as Cloud Tasks does: at their schedule time, POST to the task's URL with its body, an
    /// ID token for its oidcToken, and the X-CloudTasks-* headers; any non-2xx answer is retried (Retry-After honoured,
    /// capped at a second so tests stay quick) up to <paramref name="maxAttempts"/>.
    /// </summary>
    public async Task DeliverAsync(HttpClient client, TimeProvider time, int maxAttempts, CancellationToken cancellationToken)
    {
        var running = new List<Task>();
        await foreach (var task in tasks.Reader.ReadAllAsync(cancellationToken))
        {
            running.RemoveAll(t => t.IsCompleted);
            running.Add(DeliverOneAsync(client, time, task, maxAttempts, cancellationToken));
        }

        await Task.WhenAll(running);
    }

    /// <summary>The URLs and bodies of the tasks delivered with a 2xx answer so far, in the order they were answered.</summary>
    public IReadOnlyList<(string Url, string Body)> DeliveredTasks => [.. delivered.Select(t => (t.Url, Encoding.UTF8.GetString(t.Body)))];

    /// <summary>
    /// Delivers the <paramref name="index"/>th delivered task (<see cref="DeliveredTasks"/>) once more, as Cloud Tasks may
    /// (at-least-once delivery): same name, URL and body, a fresh ID token; the answer's status code.
    /// </summary>
    public async Task<HttpStatusCode> RedeliverAsync(HttpClient client, TimeProvider time, int index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        var task = delivered.ElementAt(index);
        using var request = new HttpRequestMessage(HttpMethod.Post, task.Url) { Content = new ByteArrayContent(task.Body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.Mint(task.Audience, task.ServiceAccountEmail, time.GetUtcNow()));
        request.Headers.Add("X-CloudTasks-QueueName", task.Queue);
        request.Headers.Add("X-CloudTasks-TaskName", task.Id);
        request.Headers.Add("X-CloudTasks-TaskRetryCount", "0");
        request.Headers.Add("X-CloudTasks-TaskExecutionCount", "1");
        request.Headers.Add("X-CloudTasks-TaskETA", (task.ScheduleTime.ToUnixTimeMilliseconds() / 1000.0).ToString(CultureInfo.InvariantCulture));
        using var response = await client.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    public void Dispose()
    {
        tasks.Writer.TryComplete();
        Server.Stop();
        Server.Dispose();
        Tokens.Dispose();
        signingKey.Dispose();
    }

    private async Task DeliverOneAsync(HttpClient client, TimeProvider time, CreatedTask task, int maxAttempts, CancellationToken cancellationToken)
    {
        var wait = task.ScheduleTime - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait > TimeSpan.FromSeconds(2) ? TimeSpan.FromSeconds(2) : wait, cancellationToken);
        }

        var executions = 0;
        for (var attempt = 0; attempt < maxAttempts; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, task.Url) { Content = new ByteArrayContent(task.Body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.Mint(task.Audience, task.ServiceAccountEmail, time.GetUtcNow()));
            request.Headers.Add("X-CloudTasks-QueueName", task.Queue);
            request.Headers.Add("X-CloudTasks-TaskName", task.Id);
            request.Headers.Add("X-CloudTasks-TaskRetryCount", attempt.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-CloudTasks-TaskExecutionCount", executions.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-CloudTasks-TaskETA", (task.ScheduleTime.ToUnixTimeMilliseconds() / 1000.0).ToString(CultureInfo.InvariantCulture));
            using var response = await client.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                delivered.Enqueue(task);
                return;
            }

            if ((int)response.StatusCode < 500)
            {
                executions++;
            }

            var retryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(200);
            await Task.Delay(retryAfter > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter, cancellationToken);
        }
    }

    private void MapSheets()
    {
        Server.Given(Request.Create().WithPath(p => p.StartsWith("/v4/spreadsheets/", StringComparison.Ordinal) && p.Count(c => c == '/') == 3 && !p.Contains(':', StringComparison.Ordinal)).UsingGet())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                Interlocked.Increment(ref sheetReads);
                var spreadsheetId = request.PathSegments[2];
                var tabs = new JsonArray();
                foreach (var (key, grid) in grids.Where(g => g.Key.StartsWith(spreadsheetId + "\n", StringComparison.Ordinal)).OrderBy(g => g.Value.SheetId))
                {
                    tabs.Add(new JsonObject
                    {
                        ["properties"] = new JsonObject
                        {
                            ["sheetId"] = grid.SheetId,
                            ["title"] = key[(spreadsheetId.Length + 1)..],
                            ["gridProperties"] = new JsonObject { ["rowCount"] = grid.RowCount, ["columnCount"] = grid.ColumnCount },
                        },
                    });
                }

                return tabs.Count == 0 ? Error(404, "Requested entity was not found.", "NOT_FOUND") : Json(200, new JsonObject { ["sheets"] = tabs }.ToJsonString());
            }));

        Server.Given(Request.Create().WithPath(p => p.StartsWith("/v4/spreadsheets/", StringComparison.Ordinal) && p.EndsWith(":batchUpdate", StringComparison.Ordinal) && !p.EndsWith("values:batchUpdate", StringComparison.Ordinal)).UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                Interlocked.Increment(ref sheetWrites);
                var spreadsheetId = request.PathSegments[2].Split(':')[0];
                foreach (var item in JsonNode.Parse(request.Body!)!["requests"]!.AsArray())
                {
                    var append = item!["appendDimension"];
                    var target = grids.FirstOrDefault(g => g.Key.StartsWith(spreadsheetId + "\n", StringComparison.Ordinal) && g.Value.SheetId == (int?)append?["sheetId"]);
                    if (append is null || target.Value is null)
                    {
                        return Error(400, "Invalid requests[0]: only appendDimension on an existing sheetId is simulated", "INVALID_ARGUMENT");
                    }

                    var length = (int)append["length"]!;
                    grids[target.Key] = (string)append["dimension"]! == "COLUMNS"
                        ? target.Value with { ColumnCount = target.Value.ColumnCount + length }
                        : target.Value with { RowCount = target.Value.RowCount + length };
                }

                return Json(200, new JsonObject { ["spreadsheetId"] = spreadsheetId, ["replies"] = new JsonArray(new JsonObject()) }.ToJsonString());
            }));

        Server.Given(Request.Create().WithPath(p => p.StartsWith("/v4/spreadsheets/", StringComparison.Ordinal) && p.EndsWith("/values:batchGet", StringComparison.Ordinal)).UsingGet())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                Interlocked.Increment(ref sheetReads);
                var spreadsheetId = request.PathSegments[2];
                var ranges = request.Query is not null && request.Query.TryGetValue("ranges", out var values) ? values.ToArray() : [];
                var valueRanges = new JsonArray();
                lock (sheets)
                {
                    foreach (var raw in ranges)
                    {
                        var range = GridRange.Parse(Uri.UnescapeDataString(raw));
                        if (range is null || !sheets.TryGetValue(Key(spreadsheetId, range.Tab), out var grid))
                        {
                            return Error(400, $"Unable to parse range: {raw}", "INVALID_ARGUMENT");
                        }

                        valueRanges.Add(range.Read(grid));
                    }
                }

                return Json(200, new JsonObject { ["spreadsheetId"] = spreadsheetId, ["valueRanges"] = valueRanges }.ToJsonString());
            }));

        Server.Given(Request.Create().WithPath(p => p.StartsWith("/v4/spreadsheets/", StringComparison.Ordinal) && p.EndsWith("/values:batchUpdate", StringComparison.Ordinal)).UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                Interlocked.Increment(ref sheetWrites);
                var spreadsheetId = request.PathSegments[2];
                var body = JsonNode.Parse(request.Body!)!;
                if ((string?)body["valueInputOption"] is not ("RAW" or "USER_ENTERED"))
                {
                    return Error(400, "valueInputOption is required", "INVALID_ARGUMENT");
                }

                var raw = (string?)body["valueInputOption"] == "RAW";
                var cells = 0;
                lock (sheets)
                {
                    foreach (var data in body["data"]!.AsArray())
                    {
                        var text = (string)data!["range"]!;
                        var range = GridRange.Parse(text);
                        if (range is null || !sheets.TryGetValue(Key(spreadsheetId, range.Tab), out var grid))
                        {
                            return Error(400, $"Unable to parse range: {range?.Tab ?? text}", "INVALID_ARGUMENT");
                        }

                        var values = data["values"]!.AsArray();
                        var width = range.FirstColumn + values.Max(v => v!.AsArray().Count);
                        if (width > grids[Key(spreadsheetId, range.Tab)].ColumnCount)
                        {
                            // As Sheets does: values can only be written inside the tab's grid.
                            return Error(400, $"Range ({range.Tab}) exceeds grid limits. Max columns: {grids[Key(spreadsheetId, range.Tab)].ColumnCount}", "INVALID_ARGUMENT");
                        }

                        cells += range.Write(grid, values, raw);
                    }
                }

                return Json(200, new JsonObject { ["spreadsheetId"] = spreadsheetId, ["totalUpdatedCells"] = cells }.ToJsonString());
            }));
    }

    private void MapStorage()
    {
        Server.Given(Request.Create().WithPath(p => p.StartsWith("/upload/storage/v1/b/", StringComparison.Ordinal)).UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var bucket = request.PathSegments[4];
                var name = request.Query!["name"].ToString();
                var id = Guid.NewGuid().ToString("N");
                sessions[id] = new UploadSession(bucket, name);
                var response = Json(200, "{}");
                response.Headers!["Location"] = new WireMockList<string>($"{Server.Url}/upload/session/{id}");
                return response;
            }));

        Server.Given(Request.Create().WithPath(p => p.StartsWith("/upload/session/", StringComparison.Ordinal)).UsingPut())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var session = sessions[request.PathSegments[2]];
                var contentRange = request.Headers!["Content-Range"].ToString();
                var bytes = request.BodyAsBytes ?? [];
                lock (session)
                {
                    // "bytes first-last/total" with data, or "bytes */total" asking how much the server has.
                    var spec = contentRange["bytes ".Length..];
                    var total = spec[(spec.IndexOf('/', StringComparison.Ordinal) + 1)..];
                    if (!spec.StartsWith('*'))
                    {
                        var first = long.Parse(spec[..spec.IndexOf('-', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
                        if (first != session.Data.Length)
                        {
                            return Error(400, $"Chunk starts at {first} but {session.Data.Length} bytes are stored", "INVALID_ARGUMENT");
                        }

                        session.Data.Write(bytes);
                    }

                    if (total != "*" && session.Data.Length == long.Parse(total, CultureInfo.InvariantCulture))
                    {
                        var data = session.Data.ToArray();
                        objects[$"{session.Bucket}/{session.Name}"] = data;
                        return Json(200, ObjectResource(session.Bucket, session.Name, data).ToJsonString());
                    }

                    var incomplete = new ResponseMessage { StatusCode = 308, Headers = new Dictionary<string, WireMockList<string>>() };
                    if (session.Data.Length > 0)
                    {
                        incomplete.Headers[RangeHeaderRestorer.StandIn] = new WireMockList<string>($"bytes=0-{session.Data.Length - 1}");
                    }

                    return incomplete;
                }
            }));

        Server.Given(Request.Create().WithPath(p => p.StartsWith("/storage/v1/b/", StringComparison.Ordinal)).UsingAnyMethod())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var segments = request.AbsolutePath.Split('/');
                var bucket = Uri.UnescapeDataString(segments[4]);
                if (request.AbsolutePath.EndsWith("/o", StringComparison.Ordinal) && request.Method == "GET")
                {
                    // List: /storage/v1/b/{bucket}/o?prefix=...
                    var prefix = request.Query is not null && request.Query.TryGetValue("prefix", out var p) ? p.ToString() : "";
                    var items = new JsonArray();
                    foreach (var (objectKey, data) in objects.Where(o => o.Key.StartsWith($"{bucket}/{prefix}", StringComparison.Ordinal)))
                    {
                        items.Add(ObjectResource(bucket, objectKey[(bucket.Length + 1)..], data));
                    }

                    return Json(200, new JsonObject { ["kind"] = "storage#objects", ["items"] = items }.ToJsonString());
                }

                // The object name is percent-encoded in one segment (%2F for '/'); WireMock may hand it over decoded.
                var marker = $"/b/{segments[4]}/o/";
                var name = Uri.UnescapeDataString(request.AbsolutePath[(request.AbsolutePath.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..]);
                var key = $"{bucket}/{name}";
                switch (request.Method)
                {
                    case "DELETE":
                        return objects.TryRemove(key, out _) ? new ResponseMessage { StatusCode = 204 } : Error(404, "No such object", "NOT_FOUND");
                    case "GET" when !objects.TryGetValue(key, out _):
                        return Error(404, $"No such object: {key}", "NOT_FOUND");
                    case "GET" when request.Query is not null && request.Query.TryGetValue("alt", out var alt) && alt.ToString() == "media":
                        return new ResponseMessage
                        {
                            StatusCode = 200,
                            Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/octet-stream") },
                            BodyData = new BodyData { BodyAsBytes = objects[key], DetectedBodyType = BodyType.Bytes },
                        };
                    case "GET":
                        return Json(200, ObjectResource(bucket, name, objects[key]).ToJsonString());
                    default:
                        return Error(405, "Method not allowed", "INVALID_ARGUMENT");
                }
            }));
    }

    private void MapTasks()
    {
        Server.Given(Request.Create().WithPath(p => p.StartsWith("/v2/projects/", StringComparison.Ordinal) && p.Contains("/queues/", StringComparison.Ordinal) && p.EndsWith("/tasks", StringComparison.Ordinal)).UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                Interlocked.Increment(ref taskCreates);
                var queue = request.PathSegments[6];
                var task = JsonNode.Parse(request.Body!)!["task"]!;
                var name = (string?)task["name"] ?? $"{request.AbsolutePath}/{Guid.NewGuid():N}";
                if (!taskNames.TryAdd(name, true))
                {
                    return Error(409, "Requested entity already exists", "ALREADY_EXISTS");
                }

                var http = task["httpRequest"]!;
                var oidc = http["oidcToken"];
                var schedule = (string?)task["scheduleTime"] is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
                tasks.Writer.TryWrite(new CreatedTask(
                    queue,
                    name[(name.LastIndexOf('/') + 1)..],
                    (string)http["url"]!,
                    Convert.FromBase64String((string?)http["body"] ?? ""),
                    (string?)oidc?["audience"] ?? (string)http["url"]!,
                    (string?)oidc?["serviceAccountEmail"] ?? "",
                    schedule));
                return Json(200, new JsonObject { ["name"] = name, ["dispatchCount"] = 0, ["responseCount"] = 0 }.ToJsonString());
            }));
    }

    private void MapCloudRun()
    {
        Server.Given(Request.Create().WithPath(p => p.StartsWith("/v2/projects/", StringComparison.Ordinal) && p.EndsWith(":run", StringComparison.Ordinal)).UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                Interlocked.Increment(ref jobRuns);
                var job = request.AbsolutePath[1..^":run".Length]["v2/".Length..];
                var env = new Dictionary<string, string>();
                var overrides = JsonNode.Parse(string.IsNullOrEmpty(request.Body) ? "{}" : request.Body)!["overrides"];
                foreach (var container in overrides?["containerOverrides"]?.AsArray() ?? [])
                {
                    foreach (var variable in container!["env"]?.AsArray() ?? [])
                    {
                        env[(string)variable!["name"]!] = (string)variable["value"]!;
                    }
                }

                var id = Guid.NewGuid().ToString("N")[..8];
                var location = job[..job.IndexOf("/jobs/", StringComparison.Ordinal)];
                var operation = new Operation($"{location}/operations/{id}", $"{job}/executions/{job[(job.LastIndexOf('/') + 1)..]}-{id}", env);
                operations[operation.Name] = operation;
                operations[operation.ExecutionName] = operation;
                operation.Run = Task.Run(() => OnJobRun?.Invoke(env) ?? Task.FromResult(false));
                return Json(200, operation.ToJson().ToJsonString());
            }));

        Server.Given(Request.Create().WithPath(p => p.StartsWith("/v2/projects/", StringComparison.Ordinal) && p.EndsWith("/executions", StringComparison.Ordinal)).UsingGet())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var job = request.AbsolutePath["/v2/".Length..^"/executions".Length];
                var executions = new JsonArray(operations.Values.Distinct().Where(o => o.ExecutionName.StartsWith(job + "/executions/", StringComparison.Ordinal))
                    .Select(o => (JsonNode?)o.Execution()).ToArray());
                return Json(200, new JsonObject { ["executions"] = executions }.ToJsonString());
            }));

        Server.Given(Request.Create().WithPath(p => p.StartsWith("/v2/projects/", StringComparison.Ordinal) && (p.Contains("/operations/", StringComparison.Ordinal) || p.Contains("/executions/", StringComparison.Ordinal))).UsingGet())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var name = request.AbsolutePath["/v2/".Length..];
                if (!operations.TryGetValue(name, out var operation))
                {
                    return Error(404, $"{name} not found", "NOT_FOUND");
                }

                return Json(200, (name.Contains("/operations/", StringComparison.Ordinal) ? operation.ToJson() : operation.Execution()).ToJsonString());
            }));
    }

    private static JsonObject ObjectResource(string bucket, string name, byte[] data) => new()
    {
        ["kind"] = "storage#object",
        ["name"] = name,
        ["bucket"] = bucket,
        ["size"] = data.Length.ToString(CultureInfo.InvariantCulture),
        ["generation"] = "1",
        ["md5Hash"] = Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(data)),
        ["contentType"] = "application/octet-stream",
    };

    private static string Key(string spreadsheetId, string tab) => $"{spreadsheetId}\n{tab}";

    private static ResponseMessage Json(int status, string json) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json; charset=UTF-8") },
        BodyData = new BodyData { BodyAsString = json, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
    };

    private static ResponseMessage Error(int status, string message, string code) =>
        Json(status, JsonSerializer.Serialize(new { error = new { code = status, message, status = code } }));

    private sealed record Cell(string Value, bool IsFormula);

    private sealed record Grid(int SheetId, int RowCount, int ColumnCount);

    private sealed record CreatedTask(string Queue, string Id, string Url, byte[] Body, string Audience, string ServiceAccountEmail, DateTimeOffset ScheduleTime);

    private sealed record UploadSession(string Bucket, string Name)
    {
        public MemoryStream Data { get; } = new();
    }

    private sealed class Operation(string name, string executionName, IReadOnlyDictionary<string, string> environment)
    {
        public string Name { get; } = name;

        public string ExecutionName { get; } = executionName;

        public Task<bool>? Run { get; set; }

        public JsonObject ToJson()
        {
            var operation = new JsonObject
            {
                ["name"] = Name,
                ["metadata"] = Execution(),
                ["done"] = Run?.IsCompleted == true,
            };
            if (Run?.IsCompleted == true)
            {
                operation["response"] = Execution();
            }

            return operation;
        }

        public JsonObject Execution()
        {
            var finished = Run?.IsCompleted == true;
            var succeeded = finished && Run!.IsCompletedSuccessfully && Run.Result;
            var execution = new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.cloud.run.v2.Execution",
                ["name"] = ExecutionName,
                ["taskCount"] = 1,
                ["runningCount"] = finished ? 0 : 1,
                ["succeededCount"] = succeeded ? 1 : 0,
                ["failedCount"] = finished && !succeeded ? 1 : 0,
                // The execution keeps its env overrides in its template, as Cloud Run stores them in the execution spec.
                ["template"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "job",
                        ["env"] = new JsonArray(environment.Select(e => (JsonNode?)new JsonObject { ["name"] = e.Key, ["value"] = e.Value }).ToArray()),
                    }),
                },
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Completed",
                    ["state"] = !finished ? "CONDITION_PENDING" : succeeded ? "CONDITION_SUCCEEDED" : "CONDITION_FAILED",
                }),
            };
            if (finished)
            {
                execution["completionTime"] = "2026-01-01T00:00:00Z";
            }

            return execution;
        }
    }

    /// <summary>A range on one tab's grid, rows and columns zero-based, ends inclusive or open (null).</summary>
    private sealed record GridRange(string Tab, int FirstRow, int FirstColumn, int? LastRow, int? LastColumn)
    {
        /// <summary>The range an A1 text names ('Tab'!A1:C3, Tab!A:A, Tab!1:1, Tab!A5:A or just Tab), read with the adapter's parser; null when it names none.</summary>
        public static GridRange? Parse(string text) => A1Notation.TryParse(text, out var range)
            ? new GridRange(range.Tab, (range.FirstRow ?? 1) - 1, range.FirstColumn ?? 0, range.LastRow - 1, range.LastColumn)
            : null;

        public JsonObject Read(List<List<Cell>> grid)
        {
            var rows = new JsonArray();
            var lastRow = Math.Min(LastRow ?? int.MaxValue, grid.Count - 1);
            for (var r = FirstRow; r <= lastRow; r++)
            {
                var row = grid[r];
                var lastColumn = Math.Min(LastColumn ?? int.MaxValue, row.Count - 1);
                var values = new List<string>();
                for (var c = FirstColumn; c <= lastColumn; c++)
                {
                    values.Add(row[c].Value);
                }

                // Google omits trailing empty cells in a row and trailing empty rows.
                while (values.Count > 0 && values[^1].Length == 0)
                {
                    values.RemoveAt(values.Count - 1);
                }

                rows.Add(new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()));
            }

            while (rows.Count > 0 && rows[^1]!.AsArray().Count == 0)
            {
                rows.RemoveAt(rows.Count - 1);
            }

            var range = new JsonObject { ["range"] = $"'{Tab.Replace("'", "''", StringComparison.Ordinal)}'", ["majorDimension"] = "ROWS" };
            if (rows.Count > 0)
            {
                range["values"] = rows;
            }

            return range;
        }

        public int Write(List<List<Cell>> grid, JsonArray values, bool raw)
        {
            var written = 0;
            for (var r = 0; r < values.Count; r++)
            {
                var rowIndex = FirstRow + r;
                while (grid.Count <= rowIndex)
                {
                    grid.Add([]);
                }

                var cells = values[r]!.AsArray();
                for (var c = 0; c < cells.Count; c++)
                {
                    var columnIndex = FirstColumn + c;
                    var row = grid[rowIndex];
                    while (row.Count <= columnIndex)
                    {
                        row.Add(new Cell("", false));
                    }

                    var value = cells[c] is null ? "" : cells[c]!.GetValueKind() == JsonValueKind.String ? (string)cells[c]! : cells[c]!.ToJsonString();
                    row[columnIndex] = new Cell(value, !raw && value.StartsWith('='));
                    written++;
                }
            }

            return written;
        }
    }
}

/// <summary>
/// WireMock.Net does not send a response header named Range, which a resumable upload's 308 carries; the simulation
/// sends it under a stand-in name and this handler (added to the clients under test) renames it back.
/// </summary>
public sealed class RangeHeaderRestorer : DelegatingHandler
{
    public const string StandIn = "X-Simulated-Range";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues(StandIn, out var values))
        {
            response.Headers.Remove(StandIn);
            response.Headers.TryAddWithoutValidation("Range", values);
        }

        return response;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace ViralForge.Functions.Addon;

/// <summary>POST /jobs: rows of one tab, their input cells by header text, and the values for empty cells.</summary>
public sealed record AddonJobsRequest(string? SpreadsheetId, string? SheetName, List<AddonRowBody?>? Rows, Dictionary<string, JsonElement>? Defaults);

/// <summary>
/// One row's snapshot: its 1-based position among the data rows (header excluded), its cells (strings; numbers and
/// booleans are read as their text), and its Job ID cell (a string, null or absent; kept raw so that a wrong value is
/// that row's error rather than a 400 for the batch).
/// </summary>
public sealed record AddonRowBody(int RowNumber, Dictionary<string, JsonElement>? Cells, JsonElement JobId = default);

/// <summary>POST /jobs's answer: one result per row, in the order sent.</summary>
public sealed record AddonJobsResponse(IReadOnlyList<AddonJobResult> Results);

public sealed record AddonJobResult(int RowNumber, Guid? JobId, bool Created, string Status, string? Error);

/// <summary>POST /jobs/status: job ids as the sheet holds them (anything a cell may hold).</summary>
public sealed record AddonStatusRequest(List<string?>? JobIds);

public sealed record AddonStatusResponse(IReadOnlyList<AddonJobStatus> Jobs);

/// <summary>One job's state as the sheet's output columns show it; found false with a readable error for an unknown or malformed id.</summary>
public sealed record AddonJobStatus(
    string? JobId, bool Found, string? Status, string? Stage, string? Video, string? Preview, string? PublishedUrl, string? Error);

/// <summary>POST /keys's answer: the key, shown once, and when it was made (RFC 3339, UTC).</summary>
public sealed record AddonKeyBody(string Key, string CreatedAt);

/// <summary>One beat of a script as the sidebar shows and edits it.</summary>
public sealed record AddonScriptBeat(string? Narration, string? CardText);

/// <summary>
/// GET /jobs/{id}/script's answer: the script of a row waiting for a check (title, hook, beats, call to action), the
/// version it belongs to (sent back with the edit), and the card text limit the sidebar checks before sending.
/// </summary>
public sealed record AddonScriptBody(Guid JobId, int Generation, string Status, string Topic, string Title, string Hook,
    IReadOnlyList<AddonScriptBeat> Beats, string CallToAction, int MaxCardWords);

/// <summary>PUT /jobs/{id}/script: the edited script of the version the sidebar showed; saving it lets the video go on.</summary>
public sealed record AddonScriptEdit(int Generation, string? Title, string? Hook, List<AddonScriptBeat?>? Beats, string? CallToAction);

/// <summary>PUT /jobs/{id}/script's answer: continued, or already-continued (someone saved first; their text stands).</summary>
public sealed record AddonScriptSaved(Guid JobId, string Outcome, string Message, string Status);

/// <summary>Source-generated JSON for the add-on's wire contract (docs/ADDON_API.md).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AddonJobsRequest))]
[JsonSerializable(typeof(AddonJobsResponse))]
[JsonSerializable(typeof(AddonStatusRequest))]
[JsonSerializable(typeof(AddonStatusResponse))]
[JsonSerializable(typeof(AddonKeyBody))]
[JsonSerializable(typeof(AddonScriptBody))]
[JsonSerializable(typeof(AddonScriptEdit))]
[JsonSerializable(typeof(AddonScriptSaved))]
public sealed partial class AddonJson : JsonSerializerContext;

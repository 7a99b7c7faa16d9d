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

/// <summary>Source-generated JSON for the add-on's wire contract (docs/ADDON_API.md).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AddonJobsRequest))]
[JsonSerializable(typeof(AddonJobsResponse))]
[JsonSerializable(typeof(AddonStatusRequest))]
[JsonSerializable(typeof(AddonStatusResponse))]
[JsonSerializable(typeof(AddonKeyBody))]
public sealed partial class AddonJson : JsonSerializerContext;

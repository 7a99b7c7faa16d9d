using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ViralForge.Functions.Api;

/// <summary>
/// The API's errors as RFC 9457 problem details (application/problem+json). Bad input names its fields in an
/// <c>errors</c> member: JSON pointers into the body ("/rows/0/duration"), or the query parameter or header name.
/// </summary>
public static class ApiProblems
{
    /// <summary>400 (or <paramref name="status"/>) with the fields at fault and what to do about each.</summary>
    public static IResult Invalid(IReadOnlyDictionary<string, List<string>> errors, string? detail = null, int status = StatusCodes.Status400BadRequest)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var first = errors.First();
        return Results.ValidationProblem(
            errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
            detail: detail ?? (errors.Count == 1 ? $"{first.Key}: {first.Value[0]}" : $"{errors.Count} fields are wrong; see errors."),
            statusCode: status,
            title: status == StatusCodes.Status422UnprocessableEntity ? "Unprocessable Content" : "Bad Request");
    }

    /// <summary>400 naming one field.</summary>
    public static IResult Field(string field, string message) => Invalid(new Dictionary<string, List<string>> { [field] = [message] });

    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: detail);

    public static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>Adds a message for a field, keeping the fields in the order found.</summary>
    public static void Add(this Dictionary<string, List<string>> errors, string field, string message)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!errors.TryGetValue(field, out var messages))
        {
            errors[field] = messages = [];
        }
        messages.Add(message);
    }
}

/// <summary>
/// GET /v1/jobs's cursor: opaque to clients, the (created time, id) of the last job of the page, base64url with a
/// version byte so its form can change.
/// </summary>
public static class ApiCursor
{
    private const byte Version = 1;

    public static string Encode(DateTimeOffset createdAt, Guid id)
    {
        var bytes = new byte[1 + 8 + 16];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), createdAt.UtcTicks);
        id.TryWriteBytes(bytes.AsSpan(9), bigEndian: true, out _);
        return Base64UrlEncoder.Encode(bytes);
    }

    public static bool TryDecode(string text, out Core.Ports.JobPageCursor? cursor)
    {
        cursor = null;
        byte[] bytes;
        try
        {
            bytes = Base64UrlEncoder.DecodeBytes(text);
        }
        catch (FormatException)
        {
            return false;
        }
        if (bytes.Length != 25 || bytes[0] != Version)
        {
            return false;
        }
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }
        cursor = new Core.Ports.JobPageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes.AsSpan(9), bigEndian: true));
        return true;
    }
}

/// <summary>Reads a request body as one JSON object, for handlers that name the member at fault.</summary>
internal static class ApiBody
{
    /// <summary>The body's object; an empty body reads as {} when <paramref name="emptyIsObject"/>.</summary>
    public static (JsonElement Body, IResult? Problem) Parse(ReadOnlyMemory<byte> bytes, bool emptyIsObject)
    {
        if (bytes.Length == 0 || bytes.Span.Trim(" \t\r\n"u8).Length == 0)
        {
            return emptyIsObject
                ? (JsonDocument.Parse("{}").RootElement, null)
                : (default, ApiProblems.Field("/", "The body is empty; send a JSON object."));
        }
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return (default, ApiProblems.Field("/", $"The body is not valid JSON ({e.Message})."));
        }
        return root.ValueKind == JsonValueKind.Object
            ? (root, null)
            : (default, ApiProblems.Field("/", $"The body is a JSON {root.ValueKind.ToString().ToLowerInvariant()}; send a JSON object."));
    }

    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>Members other than <paramref name="known"/>, each an error naming it, so a typo is not silently ignored.</summary>
    public static void Unknown(JsonElement body, string pointer, IReadOnlyCollection<string> known, Dictionary<string, List<string>> errors)
    {
        foreach (var member in body.EnumerateObject())
        {
            if (!known.Contains(member.Name))
            {
                errors.Add($"{pointer}/{Escape(member.Name)}", $"\"{Shown(member.Name)}\" is not a member here; use {string.Join(", ", known)}.");
            }
        }
    }

    /// <summary>A string member, null when absent or null; an error when it is another kind of value.</summary>
    public static string? String(JsonElement body, string name, Dictionary<string, List<string>> errors, string pointer = "")
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{pointer}/{name}", $"{name} must be a string.");
            return null;
        }
        return value.GetString();
    }

    /// <summary>A JSON pointer token (RFC 6901): ~ and / escaped.</summary>
    public static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Shown(string text) => text.Length > 60 ? text[..60] + "…" : text;
}

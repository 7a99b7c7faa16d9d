using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace ViralForge.Adapters.Google.AppsScript;

/// <summary>The kinds of file an Apps Script project holds.</summary>
public static class AppsScriptFileType
{
    public const string ServerJs = "SERVER_JS";
    public const string Html = "HTML";
    public const string Json = "JSON";
}

/// <summary>One file of an Apps Script project: its name without extension ("Code", "Sidebar", "appsscript"), type and source.</summary>
public sealed record AppsScriptFile(string Name, string Type, string Source)
{
    /// <summary>The manifest's name; exactly one file of type JSON has it.</summary>
    public const string ManifestName = "appsscript";
}

/// <summary>What the project holds after an update, as the API answered: file names and types.</summary>
public sealed record AppsScriptContent(string ScriptId, IReadOnlyList<(string Name, string Type)> Files);

/// <summary>The port `vf addon push` uploads the add-on through: replace a script project's files.</summary>
public interface IAppsScriptProjects
{
    /// <summary>
    /// projects.updateContent: the project's files become exactly <paramref name="files"/> (files not sent are deleted)
    /// and HEAD is updated. Throws <see cref="ArgumentException"/> before any call when the files are not a project
    /// (no manifest, two manifests, a name twice, an unknown type).
    /// </summary>
    Task<AppsScriptContent> UpdateContentAsync(string scriptId, IReadOnlyList<AppsScriptFile> files, CancellationToken cancellationToken);
}

/// <summary>
/// The Apps Script API over REST (API_REFERENCE §5.6): PUT v1/projects/{scriptId}/content with {files:[{name,type,source}]},
/// as the user whose OAuth token <see cref="IGoogleAccessTokenSource"/> gives (scope script.projects; service accounts
/// cannot own or edit a user's script). A PUT replaces every file, so repeating it is harmless: the client retries
/// 408, 429, 5xx, dropped connections and timeouts.
/// </summary>
public sealed class AppsScriptProjects(IHttpClientFactory clients, IOptions<AppsScriptOptions> options) : IAppsScriptProjects
{
    /// <summary>The named HttpClient (auth and retries).</summary>
    public const string HttpClientName = "google-apps-script";

    internal const string Api = "Apps Script API";

    public async Task<AppsScriptContent> UpdateContentAsync(string scriptId, IReadOnlyList<AppsScriptFile> files, CancellationToken cancellationToken)
    {
        CheckScriptId(scriptId);
        CheckFiles(files);
        var body = new ScriptContent(null, [.. files.Select(f => new ScriptFile(f.Name, f.Type, f.Source))]);
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, AppsScriptJson.Default.ScriptContent));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var path = $"v1/projects/{Uri.EscapeDataString(scriptId)}/content";
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            var o = options.Value;
            throw new TimeoutException(
                $"{Api} did not answer PUT {path} within Google:AppsScript:AttemptTimeout ({o.AttemptTimeout}) in {o.MaxRetryAttempts + 1} attempts.", ex);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await GoogleResponses.ErrorAsync(Api, response, cancellationToken);
            }
            var answer = await GoogleResponses.ReadJsonAsync(Api, response, AppsScriptJson.Default.ScriptContent, cancellationToken);
            if (answer.Files is not { } uploaded || uploaded.Any(f => f.Name is null || f.Type is null))
            {
                throw new GoogleApiException(Api, (int)response.StatusCode, "answered without the project's files (name and type of each)");
            }
            return new AppsScriptContent(answer.ScriptId ?? scriptId, [.. uploaded.Select(f => (f.Name!, f.Type!))]);
        }
    }

    private static void CheckScriptId(string scriptId)
    {
        // Script ids are base64url-ish: letters, digits, - and _. Anything else would name another resource in the path.
        if (string.IsNullOrWhiteSpace(scriptId) || !scriptId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException(
                $"\"{scriptId}\" is not a script id; it is the part of the Apps Script editor's URL after /projects/ (letters, digits, - and _).", nameof(scriptId));
        }
    }

    private static void CheckFiles(IReadOnlyList<AppsScriptFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var manifests = files.Count(f => f.Name == AppsScriptFile.ManifestName && f.Type == AppsScriptFileType.Json);
        if (manifests != 1 || files.Any(f => f.Type == AppsScriptFileType.Json && f.Name != AppsScriptFile.ManifestName))
        {
            throw new ArgumentException(
                $"A project needs exactly one manifest, named \"{AppsScriptFile.ManifestName}\" of type JSON, and no other JSON file; these files have {manifests}.", nameof(files));
        }
        foreach (var file in files)
        {
            if (file.Type is not (AppsScriptFileType.ServerJs or AppsScriptFileType.Html or AppsScriptFileType.Json))
            {
                throw new ArgumentException($"File \"{file.Name}\" has type \"{file.Type}\"; use SERVER_JS, HTML or JSON.", nameof(files));
            }
            if (string.IsNullOrWhiteSpace(file.Name))
            {
                throw new ArgumentException("A file has no name.", nameof(files));
            }
        }
        // Apps Script keys files by name alone: Sidebar.gs and Sidebar.html cannot live side by side.
        if (files.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Two files are named \"{twice.Key}\" ({string.Join(", ", twice.Select(f => f.Type))}); Apps Script names files without their extension.", nameof(files));
        }
    }
}

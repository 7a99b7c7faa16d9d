using System.Text.Json;
using Microsoft.Extensions.Options;
using Spectre.Console;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.AppsScript;

namespace ViralForge.Cli;

/// <summary>What `vf addon push` was asked to do.</summary>
public sealed record AddonPushArguments(string ScriptId, string BackendUrl, FileInfo? TokenFile, DirectoryInfo Folder);

/// <summary>
/// `vf addon push`: uploads the add-on (addon/appsscript.json, addon/*.gs, addon/*.html) to its Apps Script project
/// with projects.updateContent, after pointing it at the backend (every "https://BACKEND_URL/" becomes --backend-url).
/// The token is the user's OAuth access token with the script.projects scope, from --token-file or
/// VF_APPS_SCRIPT_TOKEN. Exit codes: 0 uploaded, 1 Google refused or failed, 2 bad arguments or files.
/// </summary>
public static class AddonPush
{
    public const string TokenVariable = "VF_APPS_SCRIPT_TOKEN";

    /// <summary>What the add-on's files say where the backend's URL goes (urlFetchWhitelist, Config.gs).</summary>
    public const string BackendPlaceholder = "https://BACKEND_URL/";

    private const string ScopeHint =
        "a user OAuth access token with the https://www.googleapis.com/auth/script.projects scope, e.g. after "
        + "`gcloud auth application-default login --scopes=https://www.googleapis.com/auth/script.projects,https://www.googleapis.com/auth/cloud-platform` "
        + "from `gcloud auth application-default print-access-token`";

    /// <summary>Settings from the environment (Google__AppsScript__BaseAddress and so on, and VF_APPS_SCRIPT_TOKEN).</summary>
    public static IConfiguration Configuration() => new ConfigurationBuilder().AddEnvironmentVariables().Build();

    public static async Task<int> RunAsync(AddonPushArguments arguments, IAnsiConsole console, IConfiguration configuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(console);
        if (!TryBackendUrl(arguments.BackendUrl, out var backend, out var urlError))
        {
            return Fail(console, 2, urlError);
        }
        var token = await ReadTokenAsync(arguments.TokenFile, configuration, cancellationToken);
        if (token.Error is not null)
        {
            return Fail(console, 2, token.Error);
        }
        var (files, filesError) = await ReadFilesAsync(arguments.Folder, backend, cancellationToken);
        if (files is null)
        {
            return Fail(console, 2, filesError!);
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IGoogleAccessTokenSource>(new FixedTokenSource(token.Value!));
        services.AddAppsScriptProjects(configuration);
        await using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<AppsScriptOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            return Fail(console, 2, e.Message);
        }

        var table = new Table().AddColumns("File", "Type", "Bytes", "Backend URL");
        foreach (var file in files)
        {
            table.AddRow(Markup.Escape(file.File.Name), file.File.Type, file.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                file.Replaced == 0 ? "" : $"set {file.Replaced}x");
        }
        console.Write(table);
        if (files.Sum(f => f.Replaced) == 0)
        {
            console.MarkupLineInterpolated($"[yellow]No file holds {BackendPlaceholder}: nothing points the add-on at {backend}.[/]");
        }

        AppsScriptContent content;
        try
        {
            content = await provider.GetRequiredService<IAppsScriptProjects>()
                .UpdateContentAsync(arguments.ScriptId, [.. files.Select(f => f.File)], cancellationToken);
        }
        catch (ArgumentException e)
        {
            return Fail(console, 2, e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
        }
        catch (GoogleApiException e)
        {
            return Fail(console, 1, Explain(e, arguments.ScriptId));
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            return Fail(console, 1, $"Could not reach the Apps Script API: {e.Message}");
        }

        console.MarkupLineInterpolated(
            $"[green]Uploaded {files.Count} files to script {content.ScriptId}[/] (HEAD; the add-on calls {backend}): {string.Join(", ", content.Files.Select(f => $"{f.Name} ({f.Type})"))}");
        return 0;
    }

    /// <summary>What Google's refusal means for the person running the command.</summary>
    internal static string Explain(GoogleApiException e, string scriptId) => e.StatusCode switch
    {
        401 => $"Google refused the token (401: {e.Message}). It has expired or is not an access token; use {ScopeHint}.",
        403 => $"Google refused access to script {scriptId} (403: {e.Message}). The account needs edit access to the script, "
            + "the token the script.projects scope, and the Apps Script API turned on at https://script.google.com/home/usersettings.",
        404 => $"There is no Apps Script project {scriptId} (404: {e.Message}); --script-id is the id in the Apps Script editor's URL (Project Settings shows it).",
        429 => $"Google's quota for the Apps Script API is used up (429 after retries: {e.Message}); try again in a few minutes.",
        >= 500 => $"The Apps Script API failed ({e.StatusCode} after retries: {e.Message}); run the command again: an upload replaces all files, so repeating it is safe.",
        >= 200 and < 300 => $"The Apps Script API's answer was not a project ({e.Message}); the upload may have happened: run the command again to be sure.",
        _ => e.Message,
    };

    private static bool TryBackendUrl(string text, out string backend, out string error)
    {
        backend = "";
        error = "";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment)
            || text.Contains(BackendPlaceholder, StringComparison.Ordinal))
        {
            error = $"--backend-url \"{text}\" must be the functions host's https URL, such as https://vf-addon-123456789012.europe-west1.run.app "
                + "(Apps Script fetches only https, and urlFetchWhitelist takes URL prefixes).";
            return false;
        }
        // A prefix that ends in "/" so that the whitelist entry cannot match https://host.evil.example.
        backend = url.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/";
        return true;
    }

    private static async Task<(string? Value, string? Error)> ReadTokenAsync(FileInfo? tokenFile, IConfiguration configuration, CancellationToken cancellationToken)
    {
        string? token;
        if (tokenFile is not null)
        {
            if (!tokenFile.Exists)
            {
                return (null, $"--token-file {tokenFile.FullName} does not exist.");
            }
            token = (await File.ReadAllTextAsync(tokenFile.FullName, cancellationToken)).Trim();
            if (token.Length == 0)
            {
                return (null, $"--token-file {tokenFile.FullName} is empty; it should hold {ScopeHint}.");
            }
        }
        else
        {
            token = configuration[TokenVariable]?.Trim();
            if (string.IsNullOrEmpty(token))
            {
                return (null, $"No token: pass --token-file FILE or set {TokenVariable} to {ScopeHint}.");
            }
        }
        // One line of printable ASCII: anything else is a file of the wrong kind (a JSON key, a refresh token file).
        return token.Any(c => c is < '!' or > '~')
            ? (null, "The token holds spaces, line breaks or other characters no access token has; pass the access token alone.")
            : (token, null);
    }

    private sealed record ReadFile(AppsScriptFile File, int Bytes, int Replaced);

    private static async Task<(IReadOnlyList<ReadFile>? Files, string? Error)> ReadFilesAsync(DirectoryInfo folder, string backend, CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(folder.FullName, AppsScriptFile.ManifestName + ".json");
        if (!File.Exists(manifestPath))
        {
            return (null, $"No manifest at {manifestPath}: run from the repository root (the add-on is in addon/) or pass --folder.");
        }
        var files = new List<ReadFile> { await ReadAsync(manifestPath, AppsScriptFile.ManifestName, AppsScriptFileType.Json, backend, cancellationToken) };
        try
        {
            using var _ = JsonDocument.Parse(files[0].File.Source);
        }
        catch (JsonException e)
        {
            return (null, $"{manifestPath} is not valid JSON: {e.Message}");
        }
        // Top level only: the add-on's own tests live in subfolders and are not part of the project.
        foreach (var (pattern, type) in new[] { ("*.gs", AppsScriptFileType.ServerJs), ("*.html", AppsScriptFileType.Html) })
        {
            foreach (var path in Directory.GetFiles(folder.FullName, pattern).Order(StringComparer.Ordinal))
            {
                files.Add(await ReadAsync(path, Path.GetFileNameWithoutExtension(path), type, backend, cancellationToken));
            }
        }
        return files.Count == 1
            ? (null, $"{folder.FullName} holds a manifest but no .gs or .html file; there is no add-on to upload.")
            : (files, null);
    }

    private static async Task<ReadFile> ReadAsync(string path, string name, string type, string backend, CancellationToken cancellationToken)
    {
        var source = await File.ReadAllTextAsync(path, cancellationToken);
        var replaced = (source.Length - source.Replace(BackendPlaceholder, "", StringComparison.Ordinal).Length) / BackendPlaceholder.Length;
        source = source.Replace(BackendPlaceholder, backend, StringComparison.Ordinal);
        return new ReadFile(new AppsScriptFile(name, type, source), System.Text.Encoding.UTF8.GetByteCount(source), replaced);
    }

    private static int Fail(IAnsiConsole console, int exitCode, string message)
    {
        console.MarkupLineInterpolated($"[red]{message}[/]");
        return exitCode;
    }
}

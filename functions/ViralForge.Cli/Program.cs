using System.CommandLine;
using Spectre.Console;
using ViralForge.Cli;

// vf: the ViralForge command. ./vf (the script next to the solution) installs, starts PostgreSQL and builds first.
var console = AnsiConsole.Console;

var sheetOption = new Option<FileInfo>("--sheet") { Description = "The CSV sheet to run; status is written back into it.", Required = true };
var reviewOption = new Option<bool>("--review") { Description = "Ask in the terminal to approve or reject each video before it is published." };
var run = new Command("run", "Make videos from every valid row of a CSV sheet.") { sheetOption, reviewOption };
run.SetAction((parse, cancellationToken) => SheetRun.RunAsync(parse.GetValue(sheetOption)!.FullName, parse.GetValue(reviewOption), console, cancellationToken));

var demoReview = new Option<bool>("--review") { Description = "Ask in the terminal before publishing." };
var demo = new Command("demo", "Run the bundled sample sheet through all eight stages, offline.") { demoReview };
demo.SetAction((parse, cancellationToken) => Demo.RunAsync(parse.GetValue(demoReview), console, cancellationToken));

var serveSheet = new Option<FileInfo?>("--sheet") { Description = "A CSV sheet to submit as it starts; status is written back into it while it serves." };
var serve = new Command("serve", "Serve the functions and the review bot, with the review page at /review, until Ctrl-C.") { serveSheet };
serve.SetAction((parse, cancellationToken) => Serve.RunAsync(parse.GetValue(serveSheet)?.FullName, console, cancellationToken));

var countOption = new Option<int>("--count") { Description = "Tasks per measurement.", DefaultValueFactory = _ => 1000 };
var rateOption = new Option<int>("--rate") { Description = "Tasks enqueued per second while measuring latency.", DefaultValueFactory = _ => 200 };
var benchQueue = new Command("queue", "No-op tasks through the local queue: latency p50/p99 and throughput.") { countOption, rateOption };
benchQueue.SetAction((parse, cancellationToken) => QueueBenchmark.RunAsync(parse.GetValue(countOption), parse.GetValue(rateOption), console, cancellationToken));
var secondsOption = new Option<double>("--seconds") { Description = "Length of the rendered video.", DefaultValueFactory = _ => 30 };
var runsOption = new Option<int>("--runs") { Description = "Runs of each side, alternating; the ratio uses each side's fastest.", DefaultValueFactory = _ => 2 };
var peerOption = new Option<string?>("--peer") { Description = "Also render the short with a peer renderer in the same run: remotion (eng/bench-remotion)." };
peerOption.AcceptOnlyFromAmong("remotion");
var compositionOption = new Option<string>("--composition") { Description = "Which background to render over: stock (a grainy clip), offline (vf demo's visuals) or both.", DefaultValueFactory = _ => "both" };
compositionOption.AcceptOnlyFromAmong("stock", "offline", "both");
var presetOption = new Option<string?>("--preset") { Description = "x264 preset to measure instead of ViralForge:Media:Preset's default (e.g. veryfast, the earlier default)." };
presetOption.AcceptOnlyFromAmong("ultrafast", "superfast", "veryfast", "faster", "fast", "medium");
var benchRender = new Command("render", "A 1080x1920 render with captions, watermark, music and narration: wall and CPU time, bitrate, SSIM against a slow reference.") { secondsOption, runsOption, peerOption, compositionOption, presetOption };
benchRender.SetAction((parse, cancellationToken) => RenderBenchmark.RunAsync(parse.GetValue(secondsOption), parse.GetValue(runsOption), parse.GetValue(peerOption), parse.GetValue(compositionOption)!, parse.GetValue(presetOption), console, cancellationToken));
var clicksOption = new Option<int>("--clicks") { Description = "Approve clicks per measurement (sequential, then as many again 16 at a time).", DefaultValueFactory = _ => 200 };
var surfaceOption = new Option<string>("--surface") { Description = "Whose signed clicks to send: slack or teams.", DefaultValueFactory = _ => "slack" };
surfaceOption.AcceptOnlyFromAmong("slack", "teams");
var benchReview = new Command("review", "Signed approve clicks against the review bot: acknowledgement p50/p95/p99 against Slack's 3 s, throughput.") { clicksOption, surfaceOption };
benchReview.SetAction((parse, cancellationToken) => ReviewBenchmark.RunAsync(parse.GetValue(clicksOption), console, cancellationToken, parse.GetValue(surfaceOption)!));
var loadRows = new Option<int>("--rows") { Description = "Rows of the generated sheet.", DefaultValueFactory = _ => 50 };
var loadSeconds = new Option<int>("--seconds") { Description = "About how long each generated row's video is (Duration).", DefaultValueFactory = _ => 15 };
var loadSheet = new Option<FileInfo?>("--sheet") { Description = "Run this CSV sheet (a copy of it) instead of a generated one." };
var loadPlain = new Option<bool>("--plain") { Description = "A generated sheet without hostile cells or invalid rows." };
var loadTimeout = new Option<double>("--timeout") { Description = "Minutes for the whole run; then it prints what is stuck and exits 1.", DefaultValueFactory = _ => 60 };
var benchLoad = new Command("load", "A sheet of rows through the whole local pipeline: rows per hour, p50/p95 per row, peak memory, retried attempts.") { loadRows, loadSeconds, loadSheet, loadPlain, loadTimeout };
benchLoad.SetAction((parse, cancellationToken) => LoadBenchmark.RunAsync(
    new LoadBenchArguments(parse.GetValue(loadRows), parse.GetValue(loadSeconds), parse.GetValue(loadSheet)?.FullName, parse.GetValue(loadPlain), TimeSpan.FromMinutes(parse.GetValue(loadTimeout))),
    console, cancellationToken));
var visualsSeconds = new Option<double>("--seconds") { Description = "Length of each of the 6 clips.", DefaultValueFactory = _ => 5 };
var visualsFrames = new Option<DirectoryInfo?>("--frames") { Description = "Also write each beat's middle frame as a PNG into this folder." };
var visualsRuns = new Option<int>("--runs") { Description = "Runs; each clip's figures are the median.", DefaultValueFactory = _ => 3 };
var benchVisuals = new Command("visuals", "The offline visuals of a 6-beat 1080x1920 script: CPU and wall seconds per clip, and the largest.") { visualsSeconds, visualsRuns, visualsFrames };
benchVisuals.SetAction((parse, cancellationToken) => VisualsBenchmark.RunAsync(parse.GetValue(visualsSeconds), parse.GetValue(visualsRuns), parse.GetValue(visualsFrames)?.FullName, console, cancellationToken));
var bench = new Command("bench", "Benchmarks that print their figures.") { benchQueue, benchRender, benchReview, benchLoad, benchVisuals };

var scriptIdOption = new Option<string>("--script-id") { Description = "The add-on's Apps Script project (the id in the script editor's URL).", Required = true };
var backendUrlOption = new Option<string>("--backend-url") { Description = "The functions host's https URL; replaces https://BACKEND_URL/ in the add-on's files.", Required = true };
var tokenFileOption = new Option<FileInfo?>("--token-file") { Description = $"A file holding a user OAuth access token with the script.projects scope (default: env {AddonPush.TokenVariable})." };
var addonFolderOption = new Option<DirectoryInfo>("--folder") { Description = "The add-on's folder.", DefaultValueFactory = _ => new DirectoryInfo("addon") };
var addonPush = new Command("push", "Upload the Google Sheets add-on to its Apps Script project, pointed at the backend.") { scriptIdOption, backendUrlOption, tokenFileOption, addonFolderOption };
addonPush.SetAction((parse, cancellationToken) => AddonPush.RunAsync(
    new AddonPushArguments(parse.GetValue(scriptIdOption)!, parse.GetValue(backendUrlOption)!, parse.GetValue(tokenFileOption), parse.GetValue(addonFolderOption)!),
    console, AddonPush.Configuration(), cancellationToken));
var addon = new Command("addon", "The Google Sheets add-on.") { addonPush };

var costSheet = new Option<FileInfo?>("--sheet") { Description = "The CSV sheet vf run wrote Job IDs into: what each row cost, per provider, from the cost ledger." };
var costPrices = new Option<bool>("--prices") { Description = "What a 30 s and a 60 s short cost per provider combination at the configured price tables (docs/PROVIDERS.md's table)." };
var cost = new Command("cost", "What rows cost (--sheet), or what a short costs at today's prices (--prices).") { costSheet, costPrices };
cost.Validators.Add(result =>
{
    if ((result.GetValue(costSheet) is null) == !result.GetValue(costPrices))
    {
        result.AddError("Give vf cost either --sheet <csv> or --prices.");
    }
});
cost.SetAction((parse, cancellationToken) => parse.GetValue(costPrices)
    ? Task.FromResult(CostReport.RunPrices(new ConfigurationBuilder().AddEnvironmentVariables().Build(), console))
    : CostReport.RunSheetAsync(parse.GetValue(costSheet)!.FullName, console, cancellationToken));

var connectPlatform = new Argument<string?>("platform") { Description = "youtube or tiktok.", Arity = ArgumentArity.ZeroOrOne };
connectPlatform.AcceptOnlyFromAmong("youtube", "tiktok");
var connectList = new Option<bool>("--list") { Description = "List the connected accounts and whether any must be connected again." };
var connectTimeout = new Option<int>("--timeout") { Description = "Seconds to wait for the sign-in to come back from the browser.", DefaultValueFactory = _ => 300 };
var connect = new Command("connect", "Connect a YouTube channel or TikTok account to publish to (OAuth in the browser; the token is stored encrypted).") { connectPlatform, connectList, connectTimeout };
connect.Validators.Add(result =>
{
    if ((result.GetValue(connectPlatform) is null) == !result.GetValue(connectList))
    {
        result.AddError("Give vf connect youtube, vf connect tiktok, or vf connect --list.");
    }
});
connect.SetAction((parse, cancellationToken) => Connect.RunAsync(
    new ConnectArguments(parse.GetValue(connectPlatform), parse.GetValue(connectList), TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(connectTimeout)))),
    Connect.Configuration(), console, cancellationToken));

var apiKeyScope = new Option<string>("--scope") { Description = "read (GET only) or write (everything, keys included).", Required = true };
apiKeyScope.AcceptOnlyFromAmong("read", "write");
var apiKeyOwner = new Option<string>("--owner") { Description = "Who or what will use the key (an email, a team, \"zapier\").", Required = true };
var apiKeyCreate = new Command(ApiKeyCommand.Create, "Make a key; it is printed once.") { apiKeyScope, apiKeyOwner };
apiKeyCreate.SetAction((parse, cancellationToken) => ApiKeyCommand.RunAsync(new ApiKeyArguments(ApiKeyCommand.Create, parse.GetValue(apiKeyScope), parse.GetValue(apiKeyOwner)), console, cancellationToken));
var apiKeyId = new Argument<long>("id") { Description = "The key's id, as vf api-key list shows it." };
var apiKeyRevoke = new Command(ApiKeyCommand.Revoke, "Revoke a key: requests with it are refused from now on.") { apiKeyId };
apiKeyRevoke.SetAction((parse, cancellationToken) => ApiKeyCommand.RunAsync(new ApiKeyArguments(ApiKeyCommand.Revoke, Id: parse.GetValue(apiKeyId)), console, cancellationToken));
var apiKeyList = new Command(ApiKeyCommand.List, "List the keys (never the keys themselves): owner, scope, created, last used, revoked.");
apiKeyList.SetAction((parse, cancellationToken) => ApiKeyCommand.RunAsync(new ApiKeyArguments(ApiKeyCommand.List), console, cancellationToken));
var apiKey = new Command("api-key", "Keys for the Jobs API (/v1, docs/API.md).") { apiKeyCreate, apiKeyRevoke, apiKeyList };

var verbose = new Option<bool>("--verbose") { Description = "On a failure, print the exception and its stack trace after the lines that explain it.", Recursive = true };
var root = new RootCommand("ViralForge: spreadsheet rows in, finished short videos out.") { demo, run, serve, cost, connect, bench, addon, apiKey, verbose };
// Shutdown owns SIGINT/SIGTERM (see its remarks); System.CommandLine's own handling is off (ProcessTerminationTimeout null).
using var shutdown = new Shutdown(Console.Error);
// A bad setting, file or database ends in one or two "vf: problem. fix." lines and exit code 2 (CliErrors), not a stack trace.
return shutdown.Finish(await CliErrors.InvokeAsync(
    root.Parse(args), verbose, Console.Error, new InvocationConfiguration { ProcessTerminationTimeout = null }, shutdown.Token));

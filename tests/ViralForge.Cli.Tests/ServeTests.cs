using System.Net;
using System.Net.Sockets;
using Spectre.Console;
using ViralForge.Testing;

namespace ViralForge.Cli.Tests;

/// <summary>`vf serve` in this process: it starts, says where the review page is, serves it, submits a sheet, and stops on cancel.</summary>
public sealed class ServeTests
{
    [Fact]
    public async Task Serve_prints_the_page_url_answers_the_review_page_and_writes_the_sheet()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        var sheet = folder.File("ideas.csv");
        await File.WriteAllTextAsync(sheet, "Topic,Platform,Duration\nDesk stretches,youtube,10\n");
        var port = FreePort();
        var output = new StringWriter();
        var console = Console(output);
        var started = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        var run = Serve.RunAsync(sheet, console, stop.Token, $"http://127.0.0.1:{port}", Settings(db, folder), started.SetResult);
        var page = await Task.WhenAny(started.Task, run) == started.Task
            ? await started.Task
            : throw new InvalidOperationException($"serve ended with {await run} before it served: {output}");

        Assert.Equal(new Uri($"http://127.0.0.1:{port}/review"), page);
        Assert.Contains($"Review page: http://127.0.0.1:{port}/review", output.ToString());
        Assert.Contains("only the local page", output.ToString());
        Assert.Contains("voice: espeak-ng (offline)", output.ToString());
        using (var client = new HttpClient())
        {
            using var response = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Waiting for review", await response.Content.ReadAsStringAsync());
        }
        var written = await File.ReadAllTextAsync(sheet);
        Assert.Contains("Job ID", written);
        Assert.Contains("queued", written);

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_naming_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var error = new StringWriter();

        var exit = await Serve.RunAsync(null, Console(new StringWriter()), CancellationToken.None, $"http://127.0.0.1:{port}",
            Settings(db, folder), error: error);

        Assert.Equal(2, exit);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"http://127.0.0.1:{port} is already in use", line);
    }

    private static Dictionary<string, string?> Settings(TestDatabase db, TempFolder folder) => new()
    {
        ["VF_DATABASE_URL"] = db.ConnectionString,
        ["ViralForge:WorkFolder"] = folder.Path,
        ["ViralForge:Defaults:Music"] = "none",
        ["ViralForge:Queue:RunDispatcher"] = "false",
    };

    private static IAnsiConsole Console(StringWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.Storage;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Google.Storage;

public sealed class GcsBlobStoreUploadTests
{
    // Two whole chunks and a short last one.
    private const int Size = (2 * StorageServices.Chunk) + 1000;
    private const string Key = "jobs/0f8fad5bd9cb469fa16570867728950e/render/g1/video.mp4";

    [Fact]
    public async Task A_file_goes_up_in_256_KiB_multiples_with_the_documented_session_start()
    {
        using var server = WireMockServer.Start();
        var session = new FakeUploadSession(server, StorageServices.Bucket);
        await using var services = StorageServices.Create(server);

        var (content, info) = await PutVideoAsync(services);

        Assert.Equal(new BlobInfo(Key, Size, Convert.ToHexStringLower(SHA256.HashData(content))), info);
        Assert.Equal(content, session.Stored);
        var start = server.LogEntries.First().RequestMessage;
        Assert.Equal("POST", start.Method);
        Assert.Equal("resumable", start.Query!["uploadType"].Single());
        Assert.Equal(Key, start.Query["name"].Single());
        Assert.Equal("video/mp4", start.Headers!["X-Upload-Content-Type"].Single());
        Assert.Equal(Size.ToString(System.Globalization.CultureInfo.InvariantCulture), start.Headers["X-Upload-Content-Length"].Single());
        using var metadata = JsonDocument.Parse(start.Body!);
        Assert.Equal(Key, metadata.RootElement.GetProperty("name").GetString());
        Assert.Equal(Convert.ToBase64String(MD5.HashData(content)), metadata.RootElement.GetProperty("md5Hash").GetString());
        Assert.Equal(["bytes 0-262143/525288", "bytes 262144-524287/525288", "bytes 524288-525287/525288"], PutRanges(server));
    }

    [Fact]
    public async Task A_chunk_that_fails_with_500_is_resumed_from_the_byte_the_session_reports()
    {
        using var server = WireMockServer.Start();
        // The second chunk fails after the server kept half of it; the status question then says bytes 0-393215.
        var session = new FakeUploadSession(server, StorageServices.Bucket) { Script = n => n == 2 ? new Mishap.Fail(500, StorageServices.Chunk / 2) : null };
        await using var services = StorageServices.Create(server);

        var (content, _) = await PutVideoAsync(services);

        Assert.Equal(["bytes 0-262143/525288", "bytes 262144-524287/525288", "bytes */525288", "bytes 393216-525287/525288"], PutRanges(server));
        Assert.Equal([308, 500, 308, 200], PutStatuses(server));
        Assert.Equal("bytes=0-393215", PutEntries(server)[2].ResponseMessage!.Headers![FakeUploadSession.RangeStandIn].Single());
        AssertStoredWhole(server, session, content);
    }

    [Fact]
    public async Task A_connection_lost_before_the_answer_is_resumed_without_sending_the_stored_chunk_again()
    {
        using var server = WireMockServer.Start();
        var session = new FakeUploadSession(server, StorageServices.Bucket);
        await using var services = StorageServices.Create(server, network: new NetworkTrouble().LoseAnswerTo("bytes 262144-524287/525288"));

        var (content, _) = await PutVideoAsync(services);

        // the session kept the second chunk, so the status question's "bytes=0-524287" leaves only the last one
        Assert.Equal(["bytes 0-262143/525288", "bytes 262144-524287/525288", "bytes */525288", "bytes 524288-525287/525288"], PutRanges(server));
        AssertStoredWhole(server, session, content);
    }

    [Fact]
    public async Task A_garbled_answer_mid_upload_is_checked_with_the_session_and_the_lost_chunk_sent_again()
    {
        using var server = WireMockServer.Start();
        var session = new FakeUploadSession(server, StorageServices.Bucket);
        session.GarbleOnce("bytes 262144-524287/525288");
        await using var services = StorageServices.Create(server);

        var (content, _) = await PutVideoAsync(services);

        Assert.Equal(
            ["bytes 0-262143/525288", "bytes 262144-524287/525288", "bytes */525288", "bytes 262144-524287/525288", "bytes 524288-525287/525288"],
            PutRanges(server));
        AssertStoredWhole(server, session, content);
    }

    [Fact]
    public async Task A_chunk_whose_answer_times_out_is_not_sent_again_when_the_session_has_it()
    {
        using var server = WireMockServer.Start();
        var session = new FakeUploadSession(server, StorageServices.Bucket) { Script = n => n == 2 ? new Mishap.Slow(TimeSpan.FromSeconds(2.5)) : null };
        await using var services = StorageServices.Create(server, new Dictionary<string, string?> { ["Google:Storage:AttemptTimeout"] = "00:00:01" });

        var (content, _) = await PutVideoAsync(services);
        await WaitForAsync(() => PutEntries(server).Count == 4);

        // The slow PUT is logged when WireMock finally answers it, so compare as sets of ranges.
        Assert.Equal(
            ["bytes */525288", "bytes 0-262143/525288", "bytes 262144-524287/525288", "bytes 524288-525287/525288"],
            PutRanges(server).Order(StringComparer.Ordinal));
        Assert.Equal(content, session.Stored);
    }

    [Fact]
    public async Task An_empty_file_is_one_put_of_nothing()
    {
        using var server = WireMockServer.Start();
        var session = new FakeUploadSession(server, StorageServices.Bucket);
        await using var services = StorageServices.Create(server);
        using var folder = new TempFolder();
        await File.WriteAllBytesAsync(folder.File("empty.json"), []);

        var info = await services.GetRequiredService<IBlobStore>().PutFileAsync("jobs/x/plan.json", folder.File("empty.json"), CancellationToken.None);

        Assert.Equal(0, info.SizeBytes);
        Assert.Equal(["bytes */0"], PutRanges(server));
    }

    [Fact]
    public async Task A_session_that_keeps_failing_gives_up_with_the_last_error()
    {
        using var server = WireMockServer.Start();
        _ = new FakeUploadSession(server, StorageServices.Bucket) { Script = n => n >= 2 ? new Mishap.Fail(503, 0) : null };
        await using var services = StorageServices.Create(server, new Dictionary<string, string?> { ["Google:Storage:MaxRetryAttempts"] = "2" });
        using var folder = new TempFolder();
        await File.WriteAllBytesAsync(folder.File("video.mp4"), StorageServices.Content(Size));

        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            services.GetRequiredService<IBlobStore>().PutFileAsync(Key, folder.File("video.mp4"), CancellationToken.None));

        Assert.Equal(503, error.StatusCode);
        // the first chunk, then the failing one and two status questions (each failing): three failures in a row
        Assert.Equal(4, PutEntries(server).Count);
    }

    /// <summary>Puts a fresh file of <see cref="Size"/> bytes under <see cref="Key"/>; hands back the bytes it held and what the store answered.</summary>
    private static async Task<(byte[] Content, BlobInfo Info)> PutVideoAsync(ServiceProvider services)
    {
        using var folder = new TempFolder();
        var content = StorageServices.Content(Size);
        await File.WriteAllBytesAsync(folder.File("video.mp4"), content);
        var info = await services.GetRequiredService<IBlobStore>().PutFileAsync(Key, folder.File("video.mp4"), CancellationToken.None);
        return (content, info);
    }

    /// <summary>The PUT bodies, placed where their ranges say, make up the file, and so does what the session kept.</summary>
    private static void AssertStoredWhole(WireMockServer server, FakeUploadSession session, byte[] content)
    {
        Assert.Equal(content, Reassemble(server, Size));
        Assert.Equal(content, session.Stored);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition() && waited < 10_000; waited += 50)
        {
            await Task.Delay(50);
        }
    }

    private static List<WireMock.Logging.ILogEntry> PutEntries(WireMockServer server) =>
        [.. server.LogEntries.Where(e => e.RequestMessage.Method == "PUT").OrderBy(e => e.RequestMessage.DateTime)];

    private static List<string> PutRanges(WireMockServer server) =>
        [.. PutEntries(server).Select(e => e.RequestMessage.Headers!["Content-Range"].Single())];

    private static List<int> PutStatuses(WireMockServer server) =>
        [.. PutEntries(server).Select(e => Convert.ToInt32(e.ResponseMessage!.StatusCode, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The object as the server would have it: every PUT body placed at the offset its Content-Range names.</summary>
    private static byte[] Reassemble(WireMockServer server, int size)
    {
        var bytes = new byte[size];
        foreach (var entry in PutEntries(server))
        {
            var range = entry.RequestMessage.Headers!["Content-Range"].Single();
            var body = entry.RequestMessage.BodyAsBytes ?? [];
            if (body.Length == 0)
            {
                continue;
            }
            var first = int.Parse(range["bytes ".Length..range.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            body.CopyTo(bytes, first);
        }
        return bytes;
    }
}

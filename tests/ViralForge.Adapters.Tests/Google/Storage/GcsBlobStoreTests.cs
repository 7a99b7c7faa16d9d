using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.Storage;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Google.Storage;

public sealed class GcsBlobStoreTests
{
    private const string Key = "jobs/5d3c/voice/g1/narration.wav";
    // WireMock matches on the decoded path; the tests check the encoding on the raw URL.
    private const string ObjectPath = "/storage/v1/b/" + StorageServices.Bucket + "/o/jobs/5d3c/voice/g1/narration.wav";

    [Fact]
    public async Task Download_gets_the_media_of_the_percent_encoded_object_and_checks_its_md5()
    {
        using var server = WireMockServer.Start();
        var content = StorageServices.Content(70_000);
        server.Given(Request.Create().WithPath(ObjectPath).WithParam("alt", "media").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(content)
                .WithHeader("x-goog-hash", $"crc32c=n03x6A==,md5={Convert.ToBase64String(MD5.HashData(content))}"));
        await using var services = StorageServices.Create(server);
        using var folder = new TempFolder();

        await services.GetRequiredService<IBlobStore>().DownloadToFileAsync(Key, folder.File("narration.wav"), CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(folder.File("narration.wav")));
        // the whole name is one path segment, its slashes encoded as the JSON API requires
        Assert.EndsWith("/o/jobs%2F5d3c%2Fvoice%2Fg1%2Fnarration.wav?alt=media", Assert.Single(server.LogEntries).RequestMessage.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_of_a_missing_object_is_FileNotFound_and_writes_nothing()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ObjectPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithBody("""{"error":{"code":404,"message":"No such object: vf-test-bucket/jobs/5d3c/voice/g1/narration.wav"}}"""));
        await using var services = StorageServices.Create(server);
        using var folder = new TempFolder();

        await Assert.ThrowsAsync<FileNotFoundException>(() =>
            services.GetRequiredService<IBlobStore>().DownloadToFileAsync(Key, folder.File("narration.wav"), CancellationToken.None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task A_download_that_arrives_corrupt_leaves_the_earlier_file_and_no_partial_one()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ObjectPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(StorageServices.Content(70_000))
                .WithHeader("x-goog-hash", $"md5={Convert.ToBase64String(MD5.HashData("something else"u8))}"));
        await using var services = StorageServices.Create(server);
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("narration.wav"), "the earlier file");

        await Assert.ThrowsAsync<IOException>(() =>
            services.GetRequiredService<IBlobStore>().DownloadToFileAsync(Key, folder.File("narration.wav"), CancellationToken.None));

        Assert.Equal("the earlier file", await File.ReadAllTextAsync(folder.File("narration.wav")));
        Assert.Equal([folder.File("narration.wav")], Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task A_download_that_times_out_leaves_no_file_at_the_target()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ObjectPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(StorageServices.Content(70_000)).WithDelay(TimeSpan.FromSeconds(3)));
        await using var services = StorageServices.Create(server, new Dictionary<string, string?>
        {
            ["Google:Storage:AttemptTimeout"] = "00:00:00.200",
            ["Google:Storage:MaxRetryAttempts"] = "1",
        });
        using var folder = new TempFolder();

        await Assert.ThrowsAsync<TimeoutException>(() =>
            services.GetRequiredService<IBlobStore>().DownloadToFileAsync(Key, folder.File("narration.wav"), CancellationToken.None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task Downloads_retry_server_errors()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ObjectPath).UsingGet()).InScenario("flaky").WillSetStateTo("failed")
            .RespondWith(Response.Create().WithStatusCode(503));
        server.Given(Request.Create().WithPath(ObjectPath).UsingGet()).InScenario("flaky").WhenStateIs("failed")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("RIFF"));
        await using var services = StorageServices.Create(server);
        using var folder = new TempFolder();

        await services.GetRequiredService<IBlobStore>().DownloadToFileAsync(Key, folder.File("narration.wav"), CancellationToken.None);

        Assert.Equal("RIFF", await File.ReadAllTextAsync(folder.File("narration.wav")));
        Assert.Equal(2, server.LogEntries.Count());
    }

    [Fact]
    public async Task Exists_reads_the_metadata_and_404_is_false()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ObjectPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"name":"jobs/5d3c/voice/g1/narration.wav"}"""));
        server.Given(Request.Create().WithPath(ObjectPath.Replace("narration", "missing", StringComparison.Ordinal)).UsingGet()).RespondWith(Response.Create().WithStatusCode(404));
        await using var services = StorageServices.Create(server);
        var store = services.GetRequiredService<IBlobStore>();

        Assert.True(await store.ExistsAsync(Key, CancellationToken.None));
        Assert.False(await store.ExistsAsync(Key.Replace("narration", "missing", StringComparison.Ordinal), CancellationToken.None));
        Assert.All(server.LogEntries, e => Assert.False(e.RequestMessage.Query!.ContainsKey("alt")));
    }

    [Theory]
    [InlineData(204)]
    [InlineData(404)]
    public async Task Delete_succeeds_whether_or_not_the_object_was_there(int status)
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ObjectPath).UsingDelete()).RespondWith(Response.Create().WithStatusCode(status));
        await using var services = StorageServices.Create(server);

        await services.GetRequiredService<IBlobStore>().DeleteAsync(Key, CancellationToken.None);

        Assert.Equal("DELETE", Assert.Single(server.LogEntries).RequestMessage.Method);
    }

    [Fact]
    public async Task Delete_refused_is_an_error()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ObjectPath).UsingDelete())
            .RespondWith(Response.Create().WithStatusCode(403).WithBody("""{"error":{"code":403,"message":"vf@p.iam.gserviceaccount.com does not have storage.objects.delete access"}}"""));
        await using var services = StorageServices.Create(server);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => services.GetRequiredService<IBlobStore>().DeleteAsync(Key, CancellationToken.None));

        Assert.Equal(403, error.StatusCode);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task Delete_prefix_lists_every_page_of_the_folder_and_deletes_each_object()
    {
        using var server = WireMockServer.Start();
        const string list = "/storage/v1/b/" + StorageServices.Bucket + "/o";
        server.Given(Request.Create().WithPath(list).WithParam("prefix", "jobs/5d3c/").UsingGet().WithParam("pageToken", "page-2"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"items":[{"name":"jobs/5d3c/render/g1/video.mp4"}]}"""));
        server.Given(Request.Create().WithPath(list).WithParam("prefix", "jobs/5d3c/").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200)
                .WithBody("""{"items":[{"name":"jobs/5d3c/voice/g1/narration.wav"},{"name":"jobs/5d3c/script/g1/script.json"}],"nextPageToken":"page-2"}"""));
        server.Given(Request.Create().WithPath(ObjectPath).UsingDelete()).RespondWith(Response.Create().WithStatusCode(204));
        server.Given(Request.Create().WithPath(list + "/jobs/5d3c/render/g1/video.mp4").UsingDelete()).RespondWith(Response.Create().WithStatusCode(204));
        // already gone (a compensation that ran before): not counted, not an error
        server.Given(Request.Create().WithPath(list + "/jobs/5d3c/script/g1/script.json").UsingDelete()).RespondWith(Response.Create().WithStatusCode(404));
        await using var services = StorageServices.Create(server);

        var deleted = await services.GetRequiredService<IBlobStore>().DeletePrefixAsync("jobs/5d3c", CancellationToken.None);

        Assert.Equal(2, deleted);
        Assert.Equal(3, server.LogEntries.Count(e => e.RequestMessage.Method == "DELETE"));
        Assert.Equal(2, server.LogEntries.Count(e => e.RequestMessage.Method == "GET"));
    }

    [Fact]
    public async Task A_malformed_listing_is_a_typed_error()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/storage/v1/b/" + StorageServices.Bucket + "/o").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("<html>Service Unavailable</html>"));
        await using var services = StorageServices.Create(server);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => services.GetRequiredService<IBlobStore>().DeletePrefixAsync("jobs/5d3c", CancellationToken.None));

        Assert.Contains("malformed JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("jobs//double")]
    [InlineData("jobs\\back")]
    [InlineData("")]
    public async Task Keys_that_are_not_clean_relative_paths_are_refused_as_locally(string key)
    {
        using var server = WireMockServer.Start();
        await using var services = StorageServices.Create(server);

        await Assert.ThrowsAsync<ArgumentException>(() => services.GetRequiredService<IBlobStore>().ExistsAsync(key, CancellationToken.None));

        Assert.Empty(server.LogEntries);
    }

    [Theory]
    [InlineData(300_000, "multiple of 262144")]
    [InlineData(0, "must be between 262144 and 1073741824")]
    public void A_chunk_size_resumable_uploads_cannot_use_is_refused_naming_the_setting(int chunkSize, string message)
    {
        using var server = WireMockServer.Start();
        using var services = StorageServices.Create(server, new Dictionary<string, string?>
        {
            ["Google:Storage:ChunkSize"] = chunkSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CloudStorageOptions>>().Value);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("ChunkSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_way_to_sign_read_urls_the_settings_are_refused()
    {
        using var server = WireMockServer.Start();
        using var services = StorageServices.Create(server, new Dictionary<string, string?> { ["Google:Storage:SigningServiceAccountEmail"] = null });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CloudStorageOptions>>().Value);

        Assert.Contains("Google:Storage:SigningServiceAccountEmail", error.Message, StringComparison.Ordinal);
    }
}

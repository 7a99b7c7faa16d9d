using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.Storage;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Tests.Google.Storage;

public sealed class V4SignedUrlTests
{
    private const string ConformanceAccount = "test-iam-credentials@dummy-project-id.iam.gserviceaccount.com";

    /// <summary>
    /// The public half of the inactive dummy service account key Google publishes with its storage conformance tests
    /// (googleapis/conformance-tests, storage/v1/service-account). Only the public key is kept here: it proves that the
    /// string to sign is byte for byte the one Google's reference signed.
    /// </summary>
    private const string ConformancePublicKey = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArD8zIqyKLbX0Nq8o0Jj1
        qHEhHhqO3+0OP7TEFx5Vxc6PdwBoFNrfnJRI/S+ZaDYS1avr5Pqpp8g8+UNOMvI1
        VsjGM8xjTaxkVv8mmKp6pSmQstTt25pzY1exA2wv4xNWSwWNFNx2kh35+kvTQ/DF
        3YA9P7pUU1sKur1PP8OoubWLFO59iy5UE5dX0O/3pjvZ2HAhSXsx2VWtB5nlrHR8
        FrKJNLJMEGEDSMz9yRfQaUeYCU9oDYHuiqKQ3rCXi6C82l+3FJw5/ggJ5y7iw8ME
        rCFSslcYQRbBVz6ZYKWkEcJhs8BG3/16bfaqNusNlDIJ99I7DmipUngF/HEulYhf
        rQIDAQAB
        -----END PUBLIC KEY-----
        """;

    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    /// <summary>Cases of storage/v1/v4_signatures.json that sign only the host header: method, bucket, object, expiration, timestamp, X-Goog-Signature.</summary>
    public static TheoryData<string, string, string, int, string, string> ConformanceCases => new()
    {
        {
            "GET", "test-bucket", "test-object", 10, "2019-02-01T09:00:00Z",
            "95e6a13d43a1d1962e667f17397f2b80ac9bdd1669210d5e08e0135df9dff4e56113485dbe429ca2266487b9d1796ebdee2d7cf682a6ef3bb9fbb4c351686fba90d7b621cf1c4eb1fdf126460dd25fa0837dfdde0a9fd98662ce60844c458448fb2b352c203d9969cb74efa4bdb742287744a4f2308afa4af0e0773f55e32e92973619249214b97283b2daa14195244444e33f938138d1e5f561088ce8011f4986dda33a556412594db7c12fc40e1ff3f1bedeb7a42f5bcda0b9567f17f65855f65071fabb88ea12371877f3f77f10e1466fff6ff6973b74a933322ff0949ce357e20abe96c3dd5cfab42c9c83e740a4d32b9e11e146f0eb3404d2e975896f74"
        },
        {
            "PUT", "test-bucket", "test-object", 10, "2019-02-01T09:00:00Z",
            "8adff1d4285739e31aa68e73767a46bc5511fde377497dbe08481bf5ceb34e29cc9a59921748d8ec3dd4085b7e9b7772a952afedfcdaecb3ae8352275b8b7c867f204e3db85076220a3127a8a9589302fc1181eae13b9b7fe41109ec8cdc93c1e8bac2d7a0cc32a109ca02d06957211326563ab3d3e678a0ba296e298b5fc5e14593c99d444c94724cc4be97015dbff1dca377b508fa0cb7169195de98d0e4ac96c42b918d28c8d92d33e1bd125ce0fb3cd7ad2c45dae65c22628378f6584971b8bf3945b26f2611eb651e9b6a8648970c1ecf386bb71327b082e7296c4e1ee2fc0bdd8983da80af375c817fb1ad491d0bc22c0f51dba0d66e2cffbc90803e47"
        },
        {
            "GET", "test-bucket", "test-object", 20, "2019-03-01T09:00:00Z",
            "9669ed5b10664dc594c758296580662912cf4bcc5a4ba0b6bf055bcbf6f34eed7bdad664f534962174a924741a0c273a4f67bc1847cef20192a6beab44223bd9d4fbbd749c407b79997598c30f82ddc269ff47ec09fa3afe74e00616d438df0d96a7d8ad0adacfad1dc3286f864d924fe919fb0dce45d3d975c5afe8e13af2db9cc37ba77835f92f7669b61e94c6d562196c1274529e76cfff1564cc2cad7d5387dc8e12f7a5dfd925685fe92c30b43709eee29fa2f66067472cee5423d1a3a4182fe8cea75c9329d181dc6acad7c393cd04f8bf5bc0515127d8ebd65d80c08e19ad03316053ea60033fd1b1fd85a69c576415da3bf0a3718d9ea6d03e0d66f0"
        },
        {
            "GET", "test-bucket2", "test-object2", 10, "2019-02-01T09:00:00Z",
            "36e3d58dfd3ec1d2dd2f24b5ee372a71e811ffaa2162a2b871d26728d0354270bc116face87127532969c4a3967ed05b7309af741e19c7202f3167aa8c2ac420b61417d6451442bb91d7c822cd17be8783f01e05372769c88913561d27e6660dd8259f0081a71f831be6c50283626cbf04494ac10c394b29bb3bce74ab91548f58a37118a452693cf0483d77561fc9cac8f1765d2c724994cca46a83517a10157ee0347a233a2aaeae6e6ab5e204ff8fc5f54f90a3efdb8301d9fff5475d58cd05b181affd657f48203f4fb133c3a3d355b8eefbd10d5a0a5fd70d06e9515460ad74e22334b2cba4b29cae4f6f285cdb92d8f3126d7a1479ca3bdb69c207d860"
        },
    };

    [Theory]
    [MemberData(nameof(ConformanceCases))]
    public async Task The_string_to_sign_and_the_url_match_google_s_conformance_vectors(
        string method, string bucket, string objectName, int expiration, string timestamp, string signature)
    {
        var request = new V4SigningRequest(method, new Uri("https://storage.googleapis.com/"), bucket, objectName, ConformanceAccount,
            DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(expiration));
        using var publicKey = RSA.Create();
        publicKey.ImportFromPem(ConformancePublicKey);

        var url = await V4SignedUrl.SignAsync(request, new ReplaySigner(Convert.FromHexString(signature)), CancellationToken.None);

        // RSA PKCS#1 v1.5 is deterministic: Google's signature verifies only over exactly the string Google signed.
        Assert.True(publicKey.VerifyData(Encoding.UTF8.GetBytes(V4SignedUrl.StringToSign(request)), Convert.FromHexString(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var date = timestamp[..10].Replace("-", "", StringComparison.Ordinal);
        Assert.Equal(
            $"https://storage.googleapis.com/{bucket}/{objectName}?X-Goog-Algorithm=GOOG4-RSA-SHA256"
            + $"&X-Goog-Credential=test-iam-credentials%40dummy-project-id.iam.gserviceaccount.com%2F{date}%2Fauto%2Fstorage%2Fgoog4_request"
            + $"&X-Goog-Date={date}T090000Z&X-Goog-Expires={expiration}&X-Goog-SignedHeaders=host&X-Goog-Signature={signature}",
            url.AbsoluteUri);
    }

    [Fact]
    public void The_canonical_request_has_the_documented_layout()
    {
        var request = new V4SigningRequest("GET", new Uri("https://storage.googleapis.com/"), "vf-bucket", "jobs/a b/ü&.mp4", "sa@p.iam.gserviceaccount.com", Now, TimeSpan.FromMinutes(15));

        Assert.Equal(
            "GET\n"
            + "/vf-bucket/jobs/a%20b/%C3%BC%26.mp4\n"
            + "X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p.iam.gserviceaccount.com%2F20250304%2Fauto%2Fstorage%2Fgoog4_request"
            + "&X-Goog-Date=20250304T050607Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host\n"
            + "host:storage.googleapis.com\n"
            + "\n"
            + "host\n"
            + "UNSIGNED-PAYLOAD",
            V4SignedUrl.CanonicalRequest(request));
        var lines = V4SignedUrl.StringToSign(request).Split('\n');
        Assert.Equal(["GOOG4-RSA-SHA256", "20250304T050607Z", "20250304/auto/storage/goog4_request"], lines[..3]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(V4SignedUrl.CanonicalRequest(request)))), lines[3]);
    }

    [Fact]
    public async Task A_read_url_is_signed_with_the_service_account_key_at_the_injected_time()
    {
        using var server = WireMockServer.Start();
        await using var services = StorageServices.Create(server, time: new FakeTimeProvider(Now));
        const string key = "jobs/0f8f/render/g2/preview.mp4";

        var url = await services.GetRequiredService<IBlobStore>().GetReadUrlAsync(key, TimeSpan.FromHours(24), CancellationToken.None);

        var query = HttpUtility.ParseQueryString(url.Query);
        Assert.Equal($"/{StorageServices.Bucket}/{key}", url.AbsolutePath);
        Assert.Equal("GOOG4-RSA-SHA256", query["X-Goog-Algorithm"]);
        Assert.Equal($"{StorageServices.Signer}/20250304/auto/storage/goog4_request", query["X-Goog-Credential"]);
        Assert.Equal("20250304T050607Z", query["X-Goog-Date"]);
        Assert.Equal("86400", query["X-Goog-Expires"]);
        Assert.Equal("host", query["X-Goog-SignedHeaders"]);
        var request = new V4SigningRequest("GET", new Uri(server.Url + "/"), StorageServices.Bucket, key, StorageServices.Signer, Now, TimeSpan.FromHours(24));
        Assert.True(StorageServices.Key.VerifyData(
            Encoding.UTF8.GetBytes(V4SignedUrl.StringToSign(request)), Convert.FromHexString(query["X-Goog-Signature"]!), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task A_key_file_signs_read_urls_in_process_as_its_client_email()
    {
        using var server = WireMockServer.Start();
        using var folder = new ViralForge.Testing.TempFolder();
        using var key = RSA.Create(2048);
        const string email = "vf-keyfile@vf-test.iam.gserviceaccount.com";
        await File.WriteAllTextAsync(folder.File("key.json"), JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "vf-test",
            ["private_key_id"] = "0123456789abcdef",
            ["private_key"] = key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = email,
            ["client_id"] = "1",
            ["token_uri"] = "https://oauth2.googleapis.com/token",
        }));
        await using var services = StorageServices.Create(server, new Dictionary<string, string?>
        {
            ["Google:Storage:SigningKeyFile"] = folder.File("key.json"),
            ["Google:Storage:SigningServiceAccountEmail"] = null,
        }, new FakeTimeProvider(Now), keySigner: false);

        var url = await services.GetRequiredService<IBlobStore>().GetReadUrlAsync("jobs/a/video.mp4", TimeSpan.FromMinutes(10), CancellationToken.None);

        var query = HttpUtility.ParseQueryString(url.Query);
        Assert.StartsWith(email + "/", query["X-Goog-Credential"], StringComparison.Ordinal);
        var request = new V4SigningRequest("GET", new Uri(server.Url + "/"), StorageServices.Bucket, "jobs/a/video.mp4", email, Now, TimeSpan.FromMinutes(10));
        Assert.True(key.VerifyData(
            Encoding.UTF8.GetBytes(V4SignedUrl.StringToSign(request)), Convert.FromHexString(query["X-Goog-Signature"]!), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task Without_a_key_file_the_url_is_signed_by_iam_sign_blob()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath($"/v1/projects/-/serviceAccounts/{StorageServices.Signer}:signBlob").UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                using var body = JsonDocument.Parse(request.Body!);
                var payload = Convert.FromBase64String(body.RootElement.GetProperty("payload").GetString()!);
                var signed = StorageServices.Key.SignData(payload, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                return new ResponseMessage
                {
                    StatusCode = 200,
                    BodyData = new BodyData { BodyAsString = $$"""{"keyId":"k1","signedBlob":"{{Convert.ToBase64String(signed)}}"}""", DetectedBodyType = BodyType.String },
                };
            }));
        await using var services = StorageServices.Create(server, time: new FakeTimeProvider(Now), keySigner: false);
        const string key = "jobs/0f8f/render/g2/video.mp4";

        var url = await services.GetRequiredService<IBlobStore>().GetReadUrlAsync(key, TimeSpan.FromMinutes(30), CancellationToken.None);

        var request = new V4SigningRequest("GET", new Uri(server.Url + "/"), StorageServices.Bucket, key, StorageServices.Signer, Now, TimeSpan.FromMinutes(30));
        var call = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal("Bearer test-access-token", call.Headers!["Authorization"].Single());
        Assert.Equal($"/v1/projects/-/serviceAccounts/{StorageServices.Signer}:signBlob", call.AbsolutePath);
        using var body = JsonDocument.Parse(call.Body!);
        Assert.Equal(V4SignedUrl.StringToSign(request), Encoding.UTF8.GetString(Convert.FromBase64String(body.RootElement.GetProperty("payload").GetString()!)));
        var signature = HttpUtility.ParseQueryString(url.Query)["X-Goog-Signature"]!;
        Assert.True(StorageServices.Key.VerifyData(
            Encoding.UTF8.GetBytes(V4SignedUrl.StringToSign(request)), Convert.FromHexString(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task Sign_blob_refused_is_a_typed_error()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().UsingPost())
            .RespondWith(Response.Create().WithStatusCode(403)
                .WithBody("""{"error":{"code":403,"message":"Permission 'iam.serviceAccounts.signBlob' denied","status":"PERMISSION_DENIED"}}"""));
        await using var services = StorageServices.Create(server, keySigner: false);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            services.GetRequiredService<IBlobStore>().GetReadUrlAsync("jobs/a/video.mp4", TimeSpan.FromMinutes(5), CancellationToken.None));

        Assert.Equal("PERMISSION_DENIED", error.Status);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task Seven_days_is_the_longest_a_read_url_may_last()
    {
        using var server = WireMockServer.Start();
        await using var services = StorageServices.Create(server, time: new FakeTimeProvider(Now));
        var store = services.GetRequiredService<IBlobStore>();

        var longest = await store.GetReadUrlAsync("jobs/a/video.mp4", TimeSpan.FromDays(7), CancellationToken.None);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetReadUrlAsync("jobs/a/video.mp4", TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetReadUrlAsync("jobs/a/video.mp4", TimeSpan.Zero, CancellationToken.None));

        Assert.Equal("604800", HttpUtility.ParseQueryString(longest.Query)["X-Goog-Expires"]);
    }

    /// <summary>Answers with a signature known in advance, so the URL can be compared with Google's whole expected URL.</summary>
    private sealed class ReplaySigner(byte[] signature) : IUrlSigner
    {
        public string ServiceAccountEmail => ConformanceAccount;

        public Task<byte[]> SignAsync(byte[] data, CancellationToken cancellationToken) => Task.FromResult(signature);
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Npgsql;
using ViralForge.Functions.Addon;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions.Tests.Addon;

/// <summary>POST /jobs/status takes the person's API key: issued by POST /keys, replaced by the next one, revoked by DELETE /keys.</summary>
public sealed class AddonApiKeyTests
{
    private const string OneUnknownId = """{"jobIds":["0195f3d2-0000-7000-8000-000000000001"]}""";

    [Fact]
    public async Task A_valid_key_reads_statuses()
    {
        await using var addon = await AddonHost.StartAsync();
        var key = await addon.IssueKeyAsync();

        var (response, body) = await addon.SendAsync(HttpMethod.Post, "/jobs/status", key, OneUnknownId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((bool)body!["jobs"]![0]!["found"]!);
    }

    [Fact]
    public async Task A_key_looks_like_the_contract_says_and_only_its_hash_is_stored()
    {
        await using var addon = await AddonHost.StartAsync();
        var (response, body) = await addon.SendAsync(HttpMethod.Post, "/keys", addon.IdentityToken());
        var key = (string)body!["key"]!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("^vfk_[A-Za-z0-9_-]{43}$", key);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", (string)body["createdAt"]!);
        await using var data = NpgsqlDataSource.Create(addon.Host.Database.ConnectionString);
        await using var command = data.CreateCommand("SELECT owner_email, key_hash, revoked_at FROM addon_keys");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(AddonHost.Ana, reader.GetString(0));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), (byte[])reader[1]);
        Assert.True(reader.IsDBNull(2));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task A_revoked_key_is_refused()
    {
        await using var addon = await AddonHost.StartAsync();
        var key = await addon.IssueKeyAsync();

        var (revoke, _) = await addon.SendAsync(HttpMethod.Delete, "/keys", addon.IdentityToken());
        var (response, body) = await addon.SendAsync(HttpMethod.Post, "/jobs/status", key, OneUnknownId);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("create a new key", (string)body!["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_key_replaces_the_old_one()
    {
        await using var addon = await AddonHost.StartAsync();
        var old = await addon.IssueKeyAsync();
        var replacement = await addon.IssueKeyAsync();

        Assert.NotEqual(old, replacement);
        Assert.Equal(HttpStatusCode.Unauthorized, (await addon.SendAsync(HttpMethod.Post, "/jobs/status", old, OneUnknownId)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await addon.SendAsync(HttpMethod.Post, "/jobs/status", replacement, OneUnknownId)).Response.StatusCode);
    }

    [Fact]
    public async Task Each_person_has_their_own_key()
    {
        await using var addon = await AddonHost.StartAsync();
        var ana = await addon.IssueKeyAsync();
        var zed = await addon.IssueKeyAsync("zed@allowed.example");

        // Zed's new key does not revoke Ana's, and revoking Zed's leaves Ana's alone.
        await addon.SendAsync(HttpMethod.Delete, "/keys", addon.IdentityToken("zed@allowed.example"));

        Assert.Equal(HttpStatusCode.OK, (await addon.SendAsync(HttpMethod.Post, "/jobs/status", ana, OneUnknownId)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await addon.SendAsync(HttpMethod.Post, "/jobs/status", zed, OneUnknownId)).Response.StatusCode);
    }

    public static TheoryData<string?> WrongKeys() => new()
    {
        null,                                   // missing
        "",                                     // "Bearer " and nothing
        "vfk_" + new string('A', 43),           // well-formed, never issued
        "vfk_short",                            // malformed
        "VFK_" + new string('A', 43),           // wrong prefix
    };

    [Theory]
    [MemberData(nameof(WrongKeys))]
    public async Task A_missing_or_wrong_key_is_refused(string? key)
    {
        await using var addon = await AddonHost.StartAsync();
        var real = await addon.IssueKeyAsync();

        var (response, body) = await addon.SendAsync(HttpMethod.Post, "/jobs/status", key, OneUnknownId);
        // One character changed in the real key.
        var (tampered, _) = await addon.SendAsync(HttpMethod.Post, "/jobs/status", real[..^1] + (real[^1] == 'A' ? 'B' : 'A'), OneUnknownId);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("API key", (string)body!["detail"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
    }

    [Fact]
    public async Task An_identity_token_does_not_open_the_key_endpoint()
    {
        await using var addon = await AddonHost.StartAsync();

        var (response, _) = await addon.SendAsync(HttpMethod.Post, "/jobs/status", addon.IdentityToken(), OneUnknownId);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_key_stops_working_when_its_owner_leaves_the_allow_list()
    {
        await using var addon = await AddonHost.StartAsync();
        var key = await addon.IssueKeyAsync("zed@allowed.example");
        // The same keys, checked by a host whose allow-list no longer names allowed.example.
        var narrower = new AddonAuthenticator(
            Options.Create(new AddonOptions { OAuthClientId = AddonHost.ClientId, AllowedEmails = [AddonHost.Ana] }),
            addon.Host.Get<GoogleIdTokenValidator>(), addon.Host.Get<AddonKeys>());
        var request = new DefaultHttpContext().Request;
        request.Headers.Authorization = "Bearer " + key;

        var check = await narrower.ApiKeyAsync(request, CancellationToken.None);

        Assert.Equal(InboundVerdict.Forbidden, check.Decision.Verdict);
        Assert.Equal("zed@allowed.example is no longer allowed to use ViralForge; ask whoever runs it to add you.", check.Detail);
    }

    [Fact]
    public async Task Keys_issued_at_once_leave_one_live_key()
    {
        await using var addon = await AddonHost.StartAsync();

        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => addon.IssueKeyAsync()));

        Assert.Equal(8, keys.Distinct().Count());
        await using var data = NpgsqlDataSource.Create(addon.Host.Database.ConnectionString);
        await using var command = data.CreateCommand("SELECT count(*) FILTER (WHERE revoked_at IS NULL), count(*) FROM addon_keys");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.Equal(8L, reader.GetInt64(1));
        var live = 0;
        foreach (var key in keys)
        {
            live += (await addon.SendAsync(HttpMethod.Post, "/jobs/status", key, OneUnknownId)).Response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }
        Assert.Equal(1, live);
    }
}

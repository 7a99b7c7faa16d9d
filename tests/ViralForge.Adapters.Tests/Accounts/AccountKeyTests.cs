using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.Accounts;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Accounts;

/// <summary>Where the vault's key comes from, and the one line a missing or malformed key gives.</summary>
public sealed class AccountKeyTests : IDisposable
{
    private readonly TempFolder folder = new();

    [Fact]
    public void The_setting_wins_over_the_key_file_and_names_the_same_key_each_time()
    {
        var base64 = Convert.ToBase64String(AccountVaultTests.Key(5));
        var options = new AccountsOptions { EncryptionKey = base64, KeyFile = folder.File("never.key") };

        var first = AccountKey.Load(options);

        Assert.Equal(first.Id, AccountKey.Load(options).Id);
        Assert.Equal(AccountKey.FromBytes(AccountVaultTests.Key(5)).Id, first.Id);
        Assert.False(File.Exists(folder.File("never.key")));
        Assert.DoesNotContain(base64[..12], first.Id, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64 at all!", "is not base64")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==", "decodes to 16 bytes, not 32")]
    public void A_malformed_key_is_one_line_naming_the_setting_and_the_fix_but_not_the_value(string value, string problem)
    {
        var e = Assert.Throws<AccountKeyException>(() => AccountKey.Load(new AccountsOptions { EncryptionKey = value }));

        Assert.StartsWith("Accounts:EncryptionKey ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void No_key_and_no_key_file_says_which_setting_to_set()
    {
        var e = Assert.Throws<AccountKeyException>(() => AccountKey.Load(new AccountsOptions { EncryptionKey = "", KeyFile = "" }));

        Assert.Contains("Accounts:EncryptionKey is not set", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_key_file_is_created_private_on_first_use_and_read_back_after()
    {
        var path = folder.File(Path.Combine(".vf", "accounts.key"));
        var options = new AccountsOptions { KeyFile = path };

        var created = AccountKey.Load(options);
        var again = AccountKey.Load(options);

        Assert.Equal(created.Id, again.Id);
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(path).Trim()).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_key_file_others_may_read_is_refused_with_the_chmod_that_fixes_it()
    {
        var path = folder.File("accounts.key");
        File.WriteAllText(path, AccountKey.NewBase64());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var e = Assert.Throws<AccountKeyException>(() => AccountKey.Load(new AccountsOptions { KeyFile = path }));

        Assert.Contains($"chmod 600 {path}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void In_the_gcp_profile_the_key_must_come_from_the_setting_never_from_a_file_on_the_containers_disk()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ViralForge:Profile"] = "gcp",
            ["Accounts:KeyFile"] = folder.File("gcp.key"),
        }).Build();
        using var services = new ServiceCollection().AddPlatformAccounts(configuration).BuildServiceProvider();

        var e = Assert.Throws<AccountKeyException>(() => { services.GetRequiredService<AccountKey>(); });

        Assert.Contains("Accounts:EncryptionKey is not set", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("gcp.key")));
    }

    public void Dispose() => folder.Dispose();
}

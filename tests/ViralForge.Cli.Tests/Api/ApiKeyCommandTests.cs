using System.Text.RegularExpressions;
using Npgsql;
using Spectre.Console;
using ViralForge.Adapters.Postgres;
using ViralForge.Functions.Api;
using ViralForge.Testing;

namespace ViralForge.Cli.Tests.Api;

/// <summary>vf api-key create, list and revoke against a real database: the key printed once, usable, then refused.</summary>
public sealed partial class ApiKeyCommandTests : IDisposable
{
    private readonly StringWriter output = new();

    [Fact]
    public async Task A_key_made_on_the_command_line_is_printed_once_listed_without_itself_and_revoked()
    {
        await using var db = await TestDatabase.CreateAsync();

        Assert.Equal(0, await RunAsync(db, new ApiKeyArguments(ApiKeyCommand.Create, "read", "  zapier  ")));
        var key = Assert.Single(KeyPattern().Matches(output.ToString())).Value;
        await using var dataSource = new NpgsqlDataSourceBuilder(PostgresConnection.ToConnectionString(db.ConnectionString)).Build();
        var keys = new ApiKeys(dataSource, TimeProvider.System);
        var holder = await keys.FindAsync(key, CancellationToken.None);
        Assert.Equal(("zapier", ApiScope.Read), (holder!.Owner, holder.Scope));

        output.GetStringBuilder().Clear();
        Assert.Equal(0, await RunAsync(db, new ApiKeyArguments(ApiKeyCommand.List)));
        var listed = output.ToString();
        Assert.Contains("zapier", listed, StringComparison.Ordinal);
        Assert.Contains("read", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);

        output.GetStringBuilder().Clear();
        Assert.Equal(0, await RunAsync(db, new ApiKeyArguments(ApiKeyCommand.Revoke, Id: holder.Id)));
        Assert.Contains($"Revoked API key {holder.Id}", output.ToString(), StringComparison.Ordinal);
        Assert.Null(await keys.FindAsync(key, CancellationToken.None));
        var again = await Assert.ThrowsAsync<CliProblemException>(() => RunAsync(db, new ApiKeyArguments(ApiKeyCommand.Revoke, Id: holder.Id)));
        Assert.Contains("no live API key", again.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin", "zapier", "--scope")]
    [InlineData("write", "   ", "--owner")]
    public async Task Bad_arguments_are_one_line_naming_the_option(string scope, string owner, string option)
    {
        await using var db = await TestDatabase.CreateAsync();

        var e = await Assert.ThrowsAsync<CliProblemException>(() => RunAsync(db, new ApiKeyArguments(ApiKeyCommand.Create, scope, owner)));

        Assert.Contains(option, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    public void Dispose() => output.Dispose();

    private Task<int> RunAsync(TestDatabase db, ApiKeyArguments arguments) =>
        ApiKeyCommand.RunAsync(arguments, Console(), CancellationToken.None, db.ConnectionString);

    private IAnsiConsole Console() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });

    [GeneratedRegex("vfa_[A-Za-z0-9_-]{43}")]
    private static partial Regex KeyPattern();
}

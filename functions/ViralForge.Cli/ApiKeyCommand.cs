using System.Globalization;
using Npgsql;
using Spectre.Console;
using ViralForge.Adapters.Postgres;
using ViralForge.Functions.Api;

namespace ViralForge.Cli;

/// <summary>What `vf api-key` is asked to do.</summary>
public sealed record ApiKeyArguments(string Action, string? Scope = null, string? Owner = null, long? Id = null);

/// <summary>
/// `vf api-key create --scope read|write --owner x`, `vf api-key revoke &lt;id&gt;` and `vf api-key list`: the Jobs API's
/// keys (docs/API.md) in the database VF_DATABASE_URL names. The key is printed once, on create; only its hash is kept.
/// </summary>
public static class ApiKeyCommand
{
    public const string Create = "create";
    public const string Revoke = "revoke";
    public const string List = "list";

    /// <param name="databaseUrl">The database (tests give theirs); VF_DATABASE_URL when null.</param>
    public static async Task<int> RunAsync(ApiKeyArguments arguments, IAnsiConsole console, CancellationToken cancellationToken, string? databaseUrl = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(console);
        databaseUrl = databaseUrl is null ? LocalRuntime.DatabaseUrl() : CliErrors.DatabaseUrl(databaseUrl);
        await using var dataSource = new NpgsqlDataSourceBuilder(PostgresConnection.ToConnectionString(databaseUrl)).Build();
        // The keys table may be the first thing this database holds: a key can be made before any host started.
        await new SchemaMigrator(dataSource).MigrateAsync(cancellationToken);
        var keys = new ApiKeys(dataSource, time ?? TimeProvider.System);
        switch (arguments.Action)
        {
            case Create:
                if (!ApiScopes.TryParse(arguments.Scope, out var scope))
                {
                    throw new CliProblemException($"--scope must be read or write, not \"{arguments.Scope}\"");
                }
                string owner;
                try
                {
                    owner = ApiKeys.CheckOwner(arguments.Owner);
                }
                catch (ArgumentException e)
                {
                    throw new CliProblemException(e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal).TrimEnd('.') + " (--owner)", e);
                }
                var created = await keys.CreateAsync(owner, scope, "cli", cancellationToken);
                // Plain text: the key must reach a script or a clipboard as it is, without markup.
                console.Profile.Width = Math.Max(console.Profile.Width, 200);
                console.WriteLine($"Made API key {created.Info.Id.ToString(CultureInfo.InvariantCulture)} for {owner} with {scope.Wire()} scope. It is shown only now; keep it secret:");
                console.WriteLine(created.Key);
                return 0;
            case Revoke:
                var id = arguments.Id ?? throw new CliProblemException("give the key's id: vf api-key revoke <id> (vf api-key list shows them)");
                if (!await keys.RevokeAsync(id, cancellationToken))
                {
                    throw new CliProblemException($"there is no live API key {id.ToString(CultureInfo.InvariantCulture)}; vf api-key list shows the keys and which are revoked");
                }
                console.WriteLine($"Revoked API key {id.ToString(CultureInfo.InvariantCulture)}; requests with it are refused from now on.");
                return 0;
            case List:
                var all = await keys.ListAsync(cancellationToken);
                if (all.Count == 0)
                {
                    console.WriteLine("No API keys yet; make one with vf api-key create --scope read|write --owner <who>.");
                    return 0;
                }
                var table = new Table().AddColumns("Id", "Owner", "Scope", "Created", "Last used", "Revoked");
                foreach (var key in all)
                {
                    table.AddRow(Markup.Escape(key.Id.ToString(CultureInfo.InvariantCulture)), Markup.Escape(key.Owner), key.Scope.Wire(),
                        When(key.CreatedAt), key.LastUsedAt is { } used ? When(used) : "never", key.RevokedAt is { } revoked ? When(revoked) : "");
                }
                console.Write(table);
                return 0;
            default:
                throw new CliProblemException($"vf api-key {arguments.Action} is not a command; use create, revoke or list");
        }
    }

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}

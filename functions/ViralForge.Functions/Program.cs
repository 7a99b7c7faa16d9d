using ViralForge.Functions;

// The functions host: one endpoint per stage (FUNCTION_TARGET picks one in production; locally all).
// With --migrate-only it applies the schema and exits: the deploy runs that as a Cloud Run job first.
if (args.Contains(FunctionsApp.MigrateOnlyFlag))
{
    try
    {
        var applied = await FunctionsApp.MigrateAsync([.. args.Where(a => a != FunctionsApp.MigrateOnlyFlag)]);
        Console.WriteLine(applied.Count == 0 ? "Schema up to date." : $"Applied migrations {string.Join(", ", applied)}.");
        return 0;
    }
    catch (Exception e)
    {
        // One line a person can act on (a bad setting, an unreachable database), not a crash dump.
        await Console.Error.WriteLineAsync($"Migration failed: {e.Message}");
        return 1;
    }
}

// Cloud Run names the port to listen on in PORT (8080 unless the deploy says otherwise). Setting the ports rather
// than ASPNETCORE_URLS keeps Kestrel from warning that URLS overrides the image's ASPNETCORE_HTTP_PORTS.
var app = FunctionsApp.Create(args, builder =>
{
    if (Environment.GetEnvironmentVariable("PORT") is { Length: > 0 } port)
    {
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, port);
    }
});
await app.RunAsync();
return 0;

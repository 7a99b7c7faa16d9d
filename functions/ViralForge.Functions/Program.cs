using ViralForge.Functions;
using ViralForge.ServiceDefaults;

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

// Cloud Run's PORT, logging and the rest every host shares come from AddViralForgeDefaults inside Create. A bad
// setting is said in one line naming it (exit 2), not as a stack trace.
return await StartupProblems.RunAsync("viralforge-functions", Console.Error, () =>
{
    var app = FunctionsApp.Create(args);
    StartupProblems.ValidateSettings(app.Services);
    return app.RunAsync();
});

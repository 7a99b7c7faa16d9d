using ViralForge.Bot;
using ViralForge.Functions;
using ViralForge.ServiceDefaults;

// The review bot as its own service: the functions host with the bot's endpoints, listening where
// ASPNETCORE_URLS (or Cloud Run's PORT, through the host defaults) says. `vf serve` hosts the same thing next to the functions locally.
return await StartupProblems.RunAsync("viralforge-bot", Console.Error, () =>
{
    var app = FunctionsApp.Create(args, builder => builder.Services.AddReviewBot(builder.Configuration), host => host.MapReviewBot());
    StartupProblems.ValidateSettings(app.Services);
    return app.RunAsync();
});

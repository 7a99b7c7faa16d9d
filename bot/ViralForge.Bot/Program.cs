using ViralForge.Bot;
using ViralForge.Functions;

// The review bot as its own service: the functions host with the bot's endpoints, listening where
// ASPNETCORE_URLS (or Cloud Run's PORT) says. `vf serve` hosts the same thing next to the functions locally.
var app = FunctionsApp.Create(args, builder =>
{
    if (Environment.GetEnvironmentVariable("PORT") is { Length: > 0 } port)
    {
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, port);
    }
    builder.Services.AddReviewBot(builder.Configuration);
}, host => host.MapReviewBot());
await app.RunAsync();
return 0;

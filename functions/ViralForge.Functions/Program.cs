using ViralForge.Functions;

// The functions host: one endpoint per stage (FUNCTION_TARGET picks one in production; locally all).
var app = FunctionsApp.Create(args);
await app.RunAsync();

using ViralForge.RenderJob;

// The Cloud Run job that renders one video: VF_JOB_ID and VF_GENERATION (env overrides on jobs:run) name
// the job; the exit code says how it went (see RenderJobExitCodes: 0 done, 75 retry later, 2 bad settings).
return await RenderJobEntry.RunAsync(args, Environment.GetEnvironmentVariables(), Console.Error);

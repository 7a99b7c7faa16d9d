using System.Globalization;
using ViralForge.Adapters.Google.CloudRun;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Stages;

namespace ViralForge.Functions.Tests.Deploy;

/// <summary>cloudbuild.yaml against the repository and the code: paths that exist, a service and a queue per stage, the same numbers.</summary>
public sealed class CloudBuildTests
{
    private static readonly CloudBuildFile Build = CloudBuildFile.Load();
    private static readonly IReadOnlyList<string> Stages = [.. StageOrder.InOrder.Select(s => s.Wire())];

    [Fact]
    public void Every_repository_path_it_names_exists()
    {
        var paths = Build.RepositoryPaths();

        Assert.Contains("functions/ViralForge.Functions/Dockerfile", paths);
        Assert.Contains("functions/ViralForge.RenderJob/Dockerfile", paths);
        Assert.Contains("./vf", paths);
        Assert.Contains("docs/DEPLOY.md", paths);
        Assert.All(paths, path => Assert.True(
            File.Exists(RepositoryRoot.File(path)) || Directory.Exists(RepositoryRoot.File(path)),
            $"cloudbuild.yaml names {path}, which is not in the repository"));
    }

    [Fact]
    public void Each_image_is_built_from_its_Dockerfile_with_the_repository_as_context()
    {
        foreach (var (step, dockerfile) in new[]
        {
            ("build-functions-image", "functions/ViralForge.Functions/Dockerfile"),
            ("build-render-job-image", "functions/ViralForge.RenderJob/Dockerfile"),
        })
        {
            var args = Build.Steps[step].Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- ", StringComparison.Ordinal)).Select(l => l[2..]).ToList();
            Assert.Equal(dockerfile, args[args.IndexOf("-f") + 1]);
            Assert.Equal(".", args[^1]);
        }
    }

    [Fact]
    public void Substitutions_are_declared_when_used_and_used_when_declared()
    {
        var used = Build.UsedSubstitutions();

        // Cloud Build refuses a build whose file uses an undeclared substitution, or is given one it does not use;
        // a bash variable written $name instead of $$name is caught here too.
        Assert.Equal(Build.Declared.Order(StringComparer.Ordinal), used.Where(u => u.StartsWith('_')).Order(StringComparer.Ordinal));
        Assert.All(used.Where(u => !u.StartsWith('_')), name => Assert.Contains(name, CloudBuildFile.BuiltInSubstitutions));
    }

    [Fact]
    public void Every_stage_gets_a_private_service_serving_only_that_stage()
    {
        var step = Build.Steps["deploy-services"];

        Assert.Equal(Stages, CloudBuildFile.Calls(step, "deploy_service"));
        Assert.Contains("gcloud run deploy \"vf-$$stage\"", step, StringComparison.Ordinal);
        Assert.Contains("--no-allow-unauthenticated", step, StringComparison.Ordinal);
        Assert.DoesNotContain("--allow-unauthenticated", step.Replace("--no-allow-unauthenticated", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(["$$stage"], CloudBuildFile.EnvValues(step, FunctionsApp.FunctionTargetVariable));
        Assert.Equal(["google-oidc"], CloudBuildFile.EnvValues(step, "ViralForge__InboundAuth"));
        Assert.Equal(["${_INVOKER_SERVICE_ACCOUNT}"], CloudBuildFile.EnvValues(step, "Google__Auth__AllowedServiceAccounts__0"));
        Assert.Contains("--member=serviceAccount:${_INVOKER_SERVICE_ACCOUNT}", step, StringComparison.Ordinal);
        Assert.Contains("--role=roles/run.invoker", step, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_service_accepts_the_audience_its_tasks_are_minted_for()
    {
        // The enqueuer puts UrlTemplate (with {stage}) in the task's URL and the token's audience; each service must
        // expect exactly that, or every task is refused with 401.
        var services = Build.Steps["deploy-services"];
        var audience = Assert.Single(CloudBuildFile.EnvValues(services, "Google__Auth__Audience"));
        var templates = CloudBuildFile.EnvValues(services, "Google__Tasks__UrlTemplate")
            .Concat(CloudBuildFile.EnvValues(Build.Steps["deploy-render-job"], "Google__Tasks__UrlTemplate"))
            .Distinct()
            .ToList();

        var template = Assert.Single(templates);
        Assert.Equal(template, audience.Replace("$$stage", "{stage}", StringComparison.Ordinal));
        Assert.Equal("https://vf-{stage}-$PROJECT_NUMBER.${_REGION}.run.app", template);
    }

    [Fact]
    public void Every_stage_gets_a_queue_retrying_as_the_stage_runner_expects()
    {
        var step = Build.Steps["queues"];
        var defaults = new ViralForgeOptions().Queue;

        // and the review bot's queues (ReviewDesk.DecisionQueue, ChatReviewChannel.TimerQueue), which the review service serves
        Assert.Equal([.. Stages, "review-decisions", "review-timers"], CloudBuildFile.Calls(step, "ensure_queue"));
        Assert.Contains("local queue=\"vf-$$1\"", step, StringComparison.Ordinal);
        foreach (var stage in StageOrder.InOrder)
        {
            var retry = defaults.RetryFor(StageTasks.QueueFor(stage));
            Assert.Equal([retry.MaxAttempts.ToString(CultureInfo.InvariantCulture)], CloudBuildFile.FlagValues(step, "--max-attempts"));
            Assert.Equal([retry.MinBackoff], CloudBuildFile.FlagValues(step, "--min-backoff").Select(Duration));
            Assert.Equal([retry.MaxBackoff], CloudBuildFile.FlagValues(step, "--max-backoff").Select(Duration));
            Assert.Equal([retry.MaxDoublings.ToString(CultureInfo.InvariantCulture)], CloudBuildFile.FlagValues(step, "--max-doublings"));
        }
        // No time limit, so max-attempts alone ends the retries (as CloudTasksQueueAdmin sets it too).
        Assert.Equal(["0s"], CloudBuildFile.FlagValues(step, "--max-retry-duration"));
        Assert.Contains("gcloud tasks queues update \"$$queue\"", step, StringComparison.Ordinal);
        Assert.Contains("gcloud tasks queues create \"$$queue\"", step, StringComparison.Ordinal);
    }

    [Fact]
    public void The_render_job_retries_as_often_as_its_queue_and_has_the_name_the_launcher_runs()
    {
        var step = Build.Steps["deploy-render-job"];
        var attempts = new ViralForgeOptions().Queue.RetryFor(StageTasks.QueueFor(StageName.Render)).MaxAttempts;
        var jobName = new CloudRunOptions().RenderJobName;

        Assert.Equal([(attempts - 1).ToString(CultureInfo.InvariantCulture)], CloudBuildFile.FlagValues(step, "--max-retries"));
        Assert.Contains($"gcloud\n    args:\n      - run\n      - jobs\n      - deploy\n      - {jobName}\n", step, StringComparison.Ordinal);
        Assert.Equal([jobName], CloudBuildFile.EnvValues(step, "Google__CloudRun__RenderJobName").Distinct());
        Assert.Equal([jobName], CloudBuildFile.EnvValues(Build.Steps["deploy-services"], "Google__CloudRun__RenderJobName"));
        Assert.Contains("viralforge-render-job:$BUILD_ID", step, StringComparison.Ordinal);
    }

    [Fact]
    public void The_schema_is_migrated_by_the_functions_image_before_anything_is_deployed()
    {
        var step = Build.Steps["migrate"];

        Assert.Contains($"--args={FunctionsApp.MigrateOnlyFlag}", step, StringComparison.Ordinal);
        Assert.Contains("viralforge-functions:$BUILD_ID", step, StringComparison.Ordinal);
        Assert.Contains("--execute-now", step, StringComparison.Ordinal);
        Assert.Contains("--wait", step, StringComparison.Ordinal);
        Assert.Contains("migrate", WaitFor("deploy-render-job"));
        Assert.Contains("migrate", WaitFor("deploy-services"));
        Assert.Contains("queues", WaitFor("deploy-services"));
    }

    [Fact]
    public void Nothing_is_pushed_or_deployed_before_the_tests_pass()
    {
        Assert.Contains("./vf test", Build.Steps["test"], StringComparison.Ordinal);
        Assert.Contains("test", WaitFor("push-functions-image"));
        Assert.Contains("test", WaitFor("push-render-job-image"));
        Assert.Contains("test", WaitFor("queues"));
    }

    [Fact]
    public void Secrets_come_from_Secret_Manager_never_from_the_file()
    {
        Assert.DoesNotContain("VF_DATABASE_URL=Host", Build.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Password", Build.Text, StringComparison.OrdinalIgnoreCase);
        foreach (var step in new[] { "migrate", "deploy-render-job", "deploy-services" })
        {
            Assert.Equal(["VF_DATABASE_URL=${_DATABASE_SECRET}:latest"], CloudBuildFile.FlagValues(Build.Steps[step], "--set-secrets"));
        }
    }

    private static List<string> WaitFor(string step)
    {
        var line = Build.Steps[step].Split('\n').Single(l => l.TrimStart().StartsWith("waitFor:", StringComparison.Ordinal));
        return [.. line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.IndexOf(']', StringComparison.Ordinal)].Split(',').Select(s => s.Trim())];
    }

    /// <summary>A gcloud duration such as 1s or 60s.</summary>
    private static TimeSpan Duration(string text) =>
        text.EndsWith('s') ? TimeSpan.FromSeconds(double.Parse(text[..^1], CultureInfo.InvariantCulture)) : throw new FormatException($"not a duration in seconds: {text}");
}

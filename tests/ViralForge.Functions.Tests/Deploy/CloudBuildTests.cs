using ViralForge.Testing;
using System.Globalization;
using System.Text.RegularExpressions;
using ViralForge.Adapters;
using ViralForge.Adapters.ElevenLabs;
using ViralForge.Adapters.Google.CloudRun;
using ViralForge.Adapters.OpenAI;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Stages;

namespace ViralForge.Functions.Tests.Deploy;

/// <summary>cloudbuild.yaml against the repository and the code: paths that exist, a service and a queue per stage, the same numbers.</summary>
public sealed partial class CloudBuildTests
{
    private static readonly CloudBuildFile Build = CloudBuildFile.Load();
    private static readonly IReadOnlyList<string> Stages = [.. StageOrder.InOrder.Select(s => s.Wire())];

    /// <summary>The stages the functions image serves; review is the bot image's (vf-review).</summary>
    private static readonly IReadOnlyList<string> FunctionsImageStages = [.. Stages.Where(s => s != StageName.Review.Wire())];

    [Fact]
    public void Every_repository_path_it_names_exists()
    {
        var paths = Build.RepositoryPaths();

        Assert.Contains("functions/ViralForge.Functions/Dockerfile", paths);
        Assert.Contains("functions/ViralForge.RenderJob/Dockerfile", paths);
        Assert.Contains("bot/ViralForge.Bot/Dockerfile", paths);
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
            ("build-bot-image", "bot/ViralForge.Bot/Dockerfile"),
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
    public void Each_image_is_pushed_under_the_name_and_tag_it_was_built_with()
    {
        foreach (var image in new[] { "viralforge-functions", "viralforge-render-job", "viralforge-bot" })
        {
            var reference = $"${{_REGION}}-docker.pkg.dev/$PROJECT_ID/${{_REPO}}/{image}:$BUILD_ID";
            var name = image["viralforge-".Length..];
            Assert.Contains($"      - {reference}\n", Build.Steps[$"build-{name}-image"], StringComparison.Ordinal);
            Assert.Contains($"[\"push\", \"{reference}\"]", Build.Steps[$"push-{name}-image"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_stage_but_review_gets_a_private_service_from_the_functions_image_serving_only_that_stage()
    {
        var step = Build.Steps["deploy-services"];
        var stage = CloudBuildFile.Function(step, "deploy_stage");

        Assert.Equal(FunctionsImageStages, CloudBuildFile.Calls(step, "deploy_stage"));
        Assert.StartsWith("deploy \"vf-$$stage\" viralforge-functions ", CloudBuildFile.Command(stage, "deploy "), StringComparison.Ordinal);
        Assert.Contains("--no-allow-unauthenticated", stage, StringComparison.Ordinal);
        Assert.DoesNotContain("--allow-unauthenticated", stage.Replace("--no-allow-unauthenticated", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(["$$stage"], CloudBuildFile.EnvValues(stage, FunctionsApp.FunctionTargetVariable));
        Assert.Contains("--member=serviceAccount:${_INVOKER_SERVICE_ACCOUNT}", stage, StringComparison.Ordinal);
        Assert.Contains("--role=roles/run.invoker", stage, StringComparison.Ordinal);
        // The image deploy names is the one this build pushed.
        Assert.Contains("--image=${_REGION}-docker.pkg.dev/$PROJECT_ID/${_REPO}/$$image:$BUILD_ID", CloudBuildFile.Function(step, "deploy"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_service_checks_Cloud_Tasks_tokens_from_the_invoker_account()
    {
        var settings = CloudBuildFile.Function(Build.Steps["deploy-services"], "settings");

        Assert.Equal(["gcp"], CloudBuildFile.EnvValues(settings, "ViralForge__Profile"));
        Assert.Equal(["google-oidc"], CloudBuildFile.EnvValues(settings, "ViralForge__InboundAuth"));
        Assert.Equal(["${_INVOKER_SERVICE_ACCOUNT}"], CloudBuildFile.EnvValues(settings, "Google__Auth__AllowedServiceAccounts__0"));
        Assert.Equal(["${_INVOKER_SERVICE_ACCOUNT}"], CloudBuildFile.EnvValues(settings, "Google__Tasks__InvokerServiceAccount"));
        var deployments = Deployments();
        Assert.Equal(["\"vf-$$stage\"", "vf-review", "vf-addon"], deployments.Select(d => d.Service));
        foreach (var (service, _, command) in deployments)
        {
            Assert.Contains($"$$(settings {service})", command, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_review_stage_runs_on_the_bot_image_in_bot_mode_reachable_by_Slack_and_Teams()
    {
        var step = Build.Steps["deploy-services"];
        var (_, image, review) = Assert.Single(Deployments(), d => d.Service == "vf-review");

        Assert.Equal("viralforge-bot", image);
        Assert.Equal([StageName.Review.Wire()], CloudBuildFile.EnvValues(review, FunctionsApp.FunctionTargetVariable));
        // Review mode bot, so ChatReviewChannel posts the cards (auto would approve every video unseen).
        Assert.Equal(["${_REVIEW_MODE}"], CloudBuildFile.EnvValues(step, "ViralForge__Review__Mode"));
        Assert.Equal("bot", Build.Defaults["_REVIEW_MODE"]);
        Assert.EndsWith("$$review_env\"", review, StringComparison.Ordinal);
        Assert.Contains("review_env+=\"$$(indexed ViralForge__Review__Reviewers \"${_REVIEWERS}\")\"", step, StringComparison.Ordinal);
        // Slack and Teams carry no Google identity: the service is public and each endpoint checks its caller itself.
        Assert.Contains("--allow-unauthenticated", review, StringComparison.Ordinal);
        Assert.DoesNotContain("--no-allow-unauthenticated", review, StringComparison.Ordinal);
        Assert.Equal(["vf-review", "vf-addon"], CloudBuildFile.Calls(step, "require_public"));
        // SlackResponder answers a click after its acknowledgement, so CPU must not stop between requests.
        Assert.Contains("--no-cpu-throttling", review, StringComparison.Ordinal);
        Assert.Equal(["${_REVIEW_MIN_INSTANCES}"], CloudBuildFile.FlagValues(review, "--min-instances"));
    }

    [Fact]
    public void The_chat_settings_are_set_only_when_configured_and_their_secrets_come_from_Secret_Manager()
    {
        var step = Build.Steps["deploy-services"];
        var (_, _, review) = Assert.Single(Deployments(), d => d.Service == "vf-review");

        Assert.Equal(["$$database$$review_secrets"], CloudBuildFile.QuotedFlagValues(review, "--set-secrets"));
        var slack = Block(step, "if [ -n \"${_SLACK_CHANNEL}\" ]; then");
        Assert.Equal(["${_SLACK_CHANNEL}"], CloudBuildFile.EnvValues(slack, "Slack__Channel"));
        Assert.Equal(["vf-slack-bot-token:latest"], CloudBuildFile.EnvValues(slack, "Slack__BotToken"));
        Assert.Equal(["vf-slack-signing-secret:latest"], CloudBuildFile.EnvValues(slack, "Slack__SigningSecret"));
        Assert.Contains("review_secrets+=\",Slack__BotToken=", slack, StringComparison.Ordinal);
        var teams = Block(step, "if [ -n \"${_TEAMS_APP_ID}\" ]; then");
        Assert.Equal(["${_TEAMS_APP_ID}"], CloudBuildFile.EnvValues(teams, "Teams__AppId"));
        Assert.Equal(["${_TEAMS_SERVICE_URL}"], CloudBuildFile.EnvValues(teams, "Teams__ServiceUrl"));
        Assert.Equal(["${_TEAMS_CONVERSATION_ID}"], CloudBuildFile.EnvValues(teams, "Teams__ConversationId"));
        Assert.Equal(["${_TEAMS_TENANT_ID}"], CloudBuildFile.EnvValues(teams, "Teams__TenantId"));
        Assert.Equal(["vf-teams-app-password:latest"], CloudBuildFile.EnvValues(teams, "Teams__AppPassword"));
        Assert.Contains("review_secrets+=\",Teams__AppPassword=", teams, StringComparison.Ordinal);
        // Each secret is named once in the whole file: never a plain variable, never a value.
        foreach (var secret in new[] { "Slack__BotToken", "Slack__SigningSecret", "Teams__AppPassword" })
        {
            Assert.Single(CloudBuildFile.EnvValues(Build.Text, secret));
        }
    }

    [Fact]
    public void The_publishing_clients_reach_every_stage_service_their_secrets_from_Secret_Manager_and_only_when_set()
    {
        var step = Build.Steps["deploy-services"];
        var stage = CloudBuildFile.Function(step, "deploy_stage");

        // The client ids are plain settings, each set only when its substitution is.
        Assert.Equal(["${_TIKTOK_CLIENT_KEY}"], CloudBuildFile.EnvValues(step, "TikTok__ClientKey"));
        Assert.Equal(["${_YOUTUBE_CLIENT_ID}"], CloudBuildFile.EnvValues(step, "YouTube__ClientId"));
        Assert.Contains("if [ -n \"${_TIKTOK_CLIENT_KEY}\" ]; then publishing+=\",TikTok__ClientKey=", step, StringComparison.Ordinal);
        Assert.Contains("if [ -n \"${_YOUTUBE_CLIENT_ID}\" ]; then publishing+=\",YouTube__ClientId=", step, StringComparison.Ordinal);
        // The secrets come from Secret Manager (NAME:latest), never as values, and only when set.
        Assert.Equal(["${_YOUTUBE_CLIENT_SECRET}:latest"], CloudBuildFile.EnvValues(step, "YouTube__ClientSecret"));
        Assert.Equal(["${_TIKTOK_CLIENT_SECRET}:latest"], CloudBuildFile.EnvValues(step, "TikTok__ClientSecret"));
        Assert.Equal(["${_ACCOUNTS_KEY_SECRET}:latest"], CloudBuildFile.EnvValues(step, "Accounts__EncryptionKey"));
        Assert.Contains("if [ -n \"${_YOUTUBE_CLIENT_SECRET}\" ]; then providers+=\",YouTube__ClientSecret=", step, StringComparison.Ordinal);
        foreach (var secret in new[] { "YouTube__ClientSecret", "TikTok__ClientSecret", "Accounts__EncryptionKey" })
        {
            Assert.Single(CloudBuildFile.EnvValues(Build.Text, secret));
        }
        // Every stage service gets both: the publish stage uploads, and any stage's failure may take a video down.
        Assert.Equal(["$$database$$providers"], CloudBuildFile.QuotedFlagValues(stage, "--set-secrets"));
        Assert.EndsWith("$$veo$$publishing\"", CloudBuildFile.Command(stage, "deploy "), StringComparison.Ordinal);
        foreach (var name in new[] { "TikTok__ClientKey", "YouTube__ClientId", "YouTube__ClientSecret" })
        {
            Assert.True(OptionsSetting.Binds(name), $"{name} is bound by no options class");
        }
    }

    [Fact]
    public void The_addon_service_is_public_serves_no_stage_and_is_deployed_only_with_its_client_id()
    {
        var step = Build.Steps["deploy-services"];
        var (_, image, addon) = Assert.Single(Deployments(), d => d.Service == "vf-addon");
        var block = Block(step, "if [ -n \"${_ADDON_OAUTH_CLIENT_ID}\" ]; then");

        Assert.Equal("viralforge-functions", image);
        Assert.Contains(CloudBuildFile.Command(block, "deploy vf-addon "), addon, StringComparison.Ordinal);
        Assert.Equal([FunctionsApp.AddonTarget], CloudBuildFile.EnvValues(addon, FunctionsApp.FunctionTargetVariable));
        Assert.Empty(FunctionsApp.StagesToServe(FunctionsApp.AddonTarget));
        Assert.Contains("--allow-unauthenticated", addon, StringComparison.Ordinal);
        Assert.Equal(["${_ADDON_OAUTH_CLIENT_ID}"], CloudBuildFile.EnvValues(block, "Addon__OAuthClientId"));
        Assert.Contains("$$(indexed Addon__AllowedEmails \"${_ADDON_ALLOWED_EMAILS}\")", block, StringComparison.Ordinal);
        Assert.Contains("$$(indexed Addon__AllowedDomains \"${_ADDON_ALLOWED_DOMAINS}\")", block, StringComparison.Ordinal);
        Assert.EndsWith("$$addon_env\"", addon, StringComparison.Ordinal);
        Assert.Equal(["$$database"], CloudBuildFile.QuotedFlagValues(addon, "--set-secrets"));
    }

    [Fact]
    public void Every_setting_the_build_sets_is_one_the_options_bind()
    {
        // A misspelt variable is no error to the configuration binder: the setting silently keeps its default.
        var names = SettingPattern().Matches(Build.Code).Select(m => m.Groups["name"].Value)
            .Concat(IndexedPattern().Matches(Build.Code).Select(m => m.Groups["name"].Value + "__0"))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains("ViralForge__Review__Reviewers__0", names);
        Assert.Contains("Slack__SigningSecret", names);
        Assert.Contains("Teams__ConversationId", names);
        Assert.Contains("Addon__AllowedDomains__0", names);
        Assert.Contains("Google__CloudRun__RenderJobName", names);
        Assert.All(names, name => Assert.True(OptionsSetting.Binds(name), $"cloudbuild.yaml sets {name}, which no options class binds"));
    }

    [Fact]
    public void The_setting_check_knows_a_misspelt_setting()
    {
        Assert.True(OptionsSetting.Binds("Teams__ConversationId"));
        Assert.True(OptionsSetting.Binds("Google__Auth__AllowedServiceAccounts__3"));
        Assert.True(OptionsSetting.Binds("ViralForge__Queue__Queues__vf-render__MaxAttempts"));
        Assert.False(OptionsSetting.Binds("Teams__ConversationID_"));
        Assert.False(OptionsSetting.Binds("Slack__Token"));
        Assert.False(OptionsSetting.Binds("ViralForge__Review__Reviewer__0"));
        Assert.False(OptionsSetting.Binds("Addon__AllowedDomains__x"));
        Assert.False(OptionsSetting.Binds("Sheets__Id"));
    }

    [Fact]
    public void The_build_stops_at_once_on_review_and_addon_settings_that_cannot_work()
    {
        var check = Build.Steps["check-substitutions"];

        Assert.Contains("Teams is half configured", check, StringComparison.Ordinal);
        Assert.Contains("_REVIEW_MODE=bot needs a place to post the cards", check, StringComparison.Ordinal);
        Assert.Contains("_REVIEW_MODE=bot needs _REVIEWERS", check, StringComparison.Ordinal);
        Assert.Contains("is not a review mode; use bot or auto.", check, StringComparison.Ordinal);
        Assert.Contains("_ADDON_OAUTH_CLIENT_ID is set: name who may use the add-on", check, StringComparison.Ordinal);
        Assert.Equal(["bot", "auto", "*"], CaseLabels(check));
    }

    [Fact]
    public void Each_service_accepts_the_audience_its_tasks_are_minted_for()
    {
        // The enqueuer puts UrlTemplate (with {stage}) in the task's URL and the token's audience; each service must
        // expect exactly that, or every task is refused with 401. The review bot's queues go to the review service.
        var services = Build.Steps["deploy-services"];
        var audience = Assert.Single(CloudBuildFile.EnvValues(CloudBuildFile.Function(services, "settings"), "Google__Auth__Audience"));
        var templates = CloudBuildFile.EnvValues(services, "Google__Tasks__UrlTemplate")
            .Concat(CloudBuildFile.EnvValues(Build.Steps["deploy-render-job"], "Google__Tasks__UrlTemplate"))
            .Distinct()
            .ToList();

        var template = Assert.Single(templates);
        Assert.Equal("https://$$1-$PROJECT_NUMBER.${_REGION}.run.app", audience);
        Assert.Equal(template, audience.Replace("$$1", "vf-{stage}", StringComparison.Ordinal));
        Assert.Equal("https://vf-{stage}-$PROJECT_NUMBER.${_REGION}.run.app", template);
        // Each service is named vf-<its FUNCTION_TARGET>, so a task goes to the service that serves it.
        foreach (var (service, _, command) in Deployments())
        {
            var target = Assert.Single(CloudBuildFile.EnvValues(command, FunctionsApp.FunctionTargetVariable));
            Assert.Equal(service, target == "$$stage" ? "\"vf-$$stage\"" : $"vf-{target}");
        }
    }

    [Fact]
    public void Every_stage_gets_a_queue_retrying_as_the_stage_runner_expects()
    {
        var step = Build.Steps["queues"];
        var defaults = new ViralForgeOptions().Queue;

        // and the review bot's queues (ReviewDesk.DecisionQueue, ChatReviewChannel.TimerQueue), which the review service serves
        // and the webhook deliveries' queue (WebhookQueue.Name), last, after its own retry settings
        Assert.Equal([.. Stages, "review-decisions", "review-timers", "publish-metrics", "webhooks"], CloudBuildFile.CallArguments(step, "ensure_queue").Select(a => a[0]));
        Assert.Contains("local queue=\"vf-$$1\"", step, StringComparison.Ordinal);
        foreach (var queue in StageOrder.InOrder.Select(StageTasks.QueueFor).Append("vf-review-decisions").Append("vf-review-timers"))
        {
            // The first retry=(...) is every queue's but the metrics reads' (the second) and the webhooks' (the third).
            var retry = defaults.RetryFor(queue);
            Assert.Equal(retry.MaxAttempts.ToString(CultureInfo.InvariantCulture), CloudBuildFile.FlagValues(step, "--max-attempts")[0]);
            Assert.Equal(retry.MinBackoff, Duration(CloudBuildFile.FlagValues(step, "--min-backoff")[0]));
            Assert.Equal(retry.MaxBackoff, Duration(CloudBuildFile.FlagValues(step, "--max-backoff")[0]));
            Assert.Equal(retry.MaxDoublings.ToString(CultureInfo.InvariantCulture), CloudBuildFile.FlagValues(step, "--max-doublings")[0]);
        }
        var metrics = defaults.RetryFor(Core.Metrics.MetricsTasks.QueueName);
        var webhooks = defaults.RetryFor(Core.Webhooks.WebhookQueue.Name);
        Assert.Equal(["5", metrics.MaxAttempts.ToString(CultureInfo.InvariantCulture), webhooks.MaxAttempts.ToString(CultureInfo.InvariantCulture)],
            CloudBuildFile.FlagValues(step, "--max-attempts"));
        foreach (var (own, index) in new[] { (metrics, 1), (webhooks, 2) })
        {
            Assert.Equal(own.MinBackoff, Duration(CloudBuildFile.FlagValues(step, "--min-backoff")[index]));
            Assert.Equal(own.MaxBackoff, Duration(CloudBuildFile.FlagValues(step, "--max-backoff")[index]));
            Assert.Equal(own.MaxDoublings.ToString(CultureInfo.InvariantCulture), CloudBuildFile.FlagValues(step, "--max-doublings")[index]);
        }
        // No time limit, so max-attempts alone ends the retries (as CloudTasksQueueAdmin sets it too).
        Assert.Equal(["0s", "0s", "0s"], CloudBuildFile.FlagValues(step, "--max-retry-duration"));
        Assert.Contains("gcloud tasks queues update \"$$queue\"", step, StringComparison.Ordinal);
        Assert.Contains("gcloud tasks queues create \"$$queue\"", step, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_queue_gets_the_rate_limits_the_local_queue_uses_for_the_machines_it_feeds()
    {
        var step = Build.Steps["queues"];
        var defaults = new ViralForgeOptions().Queue;
        // The queue's limits are sized to the CPUs of what its tasks run on: the render job for render, a stage service otherwise.
        var renderCpus = int.Parse(Assert.Single(CloudBuildFile.FlagValues(Build.Steps["deploy-render-job"], "--cpu")), CultureInfo.InvariantCulture);
        var stageCpus = int.Parse(Assert.Single(CloudBuildFile.FlagValues(CloudBuildFile.Function(Build.Steps["deploy-services"], "deploy_stage"), "--cpu")), CultureInfo.InvariantCulture);

        var calls = CloudBuildFile.CallArguments(step, "ensure_queue");
        Assert.Equal(QueueOptions.KnownQueues.Count, calls.Count);
        // Script and voice call paid vendors: their limits are the providers' (the next test).
        foreach (var call in calls.Where(c => !PaidQueues.Contains(c[0])))
        {
            var queue = $"vf-{call[0]}";
            var expected = QueueOptions.DefaultLimitsFor(queue, queue == StageTasks.QueueFor(StageName.Render) ? renderCpus : stageCpus, defaults.DispatchDeadline, defaults.MaxConcurrentDispatches);
            Assert.Equal(3, call.Count);
            Assert.Equal(expected.MaxConcurrentDispatches, int.Parse(call[1], CultureInfo.InvariantCulture));
            Assert.Equal(expected.MaxDispatchesPerSecond, double.Parse(call[2], CultureInfo.InvariantCulture));
        }
        var render = Assert.Single(calls, c => c[0] == "render");
        Assert.Equal(["render", "2", "1"], render);
        var function = CloudBuildFile.Function(step, "ensure_queue");
        Assert.Equal(["$$2"], CloudBuildFile.QuotedFlagValues(function, "--max-concurrent-dispatches"));
        Assert.Equal(["$$3"], CloudBuildFile.QuotedFlagValues(function, "--max-dispatches-per-second"));
        // Both the update and the create are given the rate limits.
        Assert.Equal(2, Regex.Matches(function, Regex.Escape("\"$${retry[@]}\" \"$${rate[@]}\"")).Count);
    }

    /// <summary>The queues whose tasks call paid vendors, dispatched at the vendors' limits rather than the machine's.</summary>
    private static readonly IReadOnlyList<string> PaidQueues = [StageName.Script.Wire(), StageName.Voice.Wire()];

    [Fact]
    public void The_script_and_voice_queues_dispatch_within_the_paid_providers_limits_with_defaults_equal_to_the_options_defaults()
    {
        var calls = CloudBuildFile.CallArguments(Build.Steps["queues"], "ensure_queue");
        var script = PaidQueueLimits.Script(new OpenAIOptions());
        var voice = PaidQueueLimits.Voice(new ElevenLabsOptions(), new OpenAIVoiceOptions());

        Assert.Equal(["script", "${_SCRIPT_MAX_CONCURRENT}", "${_SCRIPT_MAX_PER_SECOND}"], Assert.Single(calls, c => c[0] == "script"));
        Assert.Equal(["voice", "${_VOICE_MAX_CONCURRENT}", "${_VOICE_MAX_PER_SECOND}"], Assert.Single(calls, c => c[0] == "voice"));
        // The substitutions' defaults are the options' defaults, so raising one without the other fails here.
        Assert.Equal(script.MaxConcurrent, int.Parse(Build.Defaults["_SCRIPT_MAX_CONCURRENT"], CultureInfo.InvariantCulture));
        Assert.Equal(script.MaxPerSecond, double.Parse(Build.Defaults["_SCRIPT_MAX_PER_SECOND"], CultureInfo.InvariantCulture));
        Assert.Equal(voice.MaxConcurrent, int.Parse(Build.Defaults["_VOICE_MAX_CONCURRENT"], CultureInfo.InvariantCulture));
        Assert.Equal(voice.MaxPerSecond, double.Parse(Build.Defaults["_VOICE_MAX_PER_SECOND"], CultureInfo.InvariantCulture));
        // And what those are today: OpenAI 4 at once and 60 a minute; ElevenLabs' 2 at once and the OpenAI voice's 50 a minute.
        Assert.Equal(new QueueDispatchLimits(4, 1), script);
        Assert.Equal(new QueueDispatchLimits(2, 0.83), voice);
    }

    [Fact]
    public void The_voice_queue_takes_the_stricter_vendor_and_never_rounds_a_rate_up()
    {
        var limits = PaidQueueLimits.Voice(
            new ElevenLabsOptions { MaxConcurrentRequests = 5, RequestsPerMinute = 100 },
            new OpenAIVoiceOptions { VoiceMaxConcurrentRequests = 3, VoiceRequestsPerMinute = 500 });

        Assert.Equal(new QueueDispatchLimits(3, 1.66), limits);
        Assert.Equal(new QueueDispatchLimits(8, 0.01), PaidQueueLimits.Script(new OpenAIOptions { MaxConcurrentRequests = 8, RequestsPerMinute = 1 }));
    }

    [Fact]
    public void The_render_job_leaves_retries_to_its_queue_and_has_the_name_the_launcher_runs()
    {
        var step = Build.Steps["deploy-render-job"];
        var jobName = new CloudRunOptions().RenderJobName;

        // The render stage's delivery watches the execution and the vf-render queue retries it: one count of attempts.
        Assert.Equal(["0"], CloudBuildFile.FlagValues(step, "--max-retries"));
        // The execution talks to the bucket only.
        Assert.Empty(CloudBuildFile.FlagValues(step, "--set-secrets"));
        Assert.Empty(CloudBuildFile.FlagValues(step, "--set-cloudsql-instances"));
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
        Assert.Contains("test", WaitFor("push-bot-image"));
        Assert.Contains("test", WaitFor("queues"));
        // The review service runs the bot image this build pushed, not one left from an earlier build.
        Assert.Contains("push-bot-image", WaitFor("deploy-services"));
    }

    [Fact]
    public void Secrets_come_from_Secret_Manager_never_from_the_file()
    {
        Assert.DoesNotContain("VF_DATABASE_URL=Host", Build.Text, StringComparison.OrdinalIgnoreCase);
        // The one password named is Teams' app password, as a reference to its secret.
        Assert.Equal(["Teams__AppPassword=vf-teams-app-password:latest"], PasswordSetting().Matches(Build.Text).Select(m => m.Value));
        Assert.Equal(["VF_DATABASE_URL=${_DATABASE_SECRET}:latest"], CloudBuildFile.FlagValues(Build.Steps["migrate"], "--set-secrets"));
        var services = Build.Steps["deploy-services"];
        Assert.Contains("database=\"VF_DATABASE_URL=${_DATABASE_SECRET}:latest\"", services, StringComparison.Ordinal);
        Assert.All(CloudBuildFile.QuotedFlagValues(services, "--set-secrets"), value => Assert.StartsWith("$$database", value, StringComparison.Ordinal));
        Assert.Equal(3, CloudBuildFile.QuotedFlagValues(services, "--set-secrets").Count);
    }

    /// <summary>Each "deploy SERVICE IMAGE ..." command of the deploy-services step: the service, the image, the whole command.</summary>
    private static IReadOnlyList<(string Service, string Image, string Command)> Deployments()
    {
        var step = Build.Steps["deploy-services"];
        return [.. DeployCall().Matches(step).Select(m => CloudBuildFile.Command(step, m.Value.Trim()))
            .Select(c => c.Split(' ')).Select(w => (w[1], w[2], string.Join(' ', w)))];
    }

    /// <summary>The lines of an if block, from its first line to its "fi".</summary>
    private static string Block(string step, string firstLine)
    {
        var lines = step.Split('\n');
        var first = Array.FindIndex(lines, l => l.Trim() == firstLine);
        Assert.True(first >= 0, $"no line '{firstLine}'");
        var indent = lines[first].Length - lines[first].TrimStart().Length;
        var last = Array.FindIndex(lines, first + 1, l => l.Trim() is "fi" or "else" && l.Length - l.TrimStart().Length == indent);
        return string.Join('\n', lines[first..last]);
    }

    private static IEnumerable<string> CaseLabels(string step) =>
        step.Split('\n').Select(l => l.Trim()).Where(l => Regex.IsMatch(l, @"^[\w*]+\)")).Select(l => l[..l.IndexOf(')', StringComparison.Ordinal)]);

    [GeneratedRegex(@"^\s*deploy (?!\(\))\S+ \S+ ", RegexOptions.Multiline)]
    private static partial Regex DeployCall();

    /// <summary>NAME=value where NAME is a setting (Section__Name) in a script: a variable or a secret the build sets.</summary>
    [GeneratedRegex(@"(?<=[="",])(?<name>[A-Z][A-Za-z]*(?:__[A-Za-z0-9]+)+)=")]
    private static partial Regex SettingPattern();

    /// <summary>A list setting the script expands item by item ("indexed NAME list").</summary>
    [GeneratedRegex(@"\$\$\(indexed (?<name>[A-Z][A-Za-z]*(?:__[A-Za-z0-9]+)+) ")]
    private static partial Regex IndexedPattern();

    [GeneratedRegex(@"\w*password=[^\s"",]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordSetting();

    private static List<string> WaitFor(string step)
    {
        var line = Build.Steps[step].Split('\n').Single(l => l.TrimStart().StartsWith("waitFor:", StringComparison.Ordinal));
        return [.. line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.IndexOf(']', StringComparison.Ordinal)].Split(',').Select(s => s.Trim())];
    }

    /// <summary>A gcloud duration such as 1s or 60s.</summary>
    private static TimeSpan Duration(string text) =>
        text.EndsWith('s') ? TimeSpan.FromSeconds(double.Parse(text[..^1], CultureInfo.InvariantCulture)) : throw new FormatException($"not a duration in seconds: {text}");
}

using ViralForge.Adapters.YouTube;

namespace ViralForge.Functions.Tests.Deploy;

/// <summary>Production trends: the YouTube key from Secret Manager, and the Cloud Scheduler job that keeps the charts warm.</summary>
public sealed class TrendsRefreshDeployTests
{
    private static readonly CloudBuildFile Build = CloudBuildFile.Load();

    [Fact]
    public void The_youtube_key_comes_from_its_secret_only_when_the_secret_is_named()
    {
        var step = Build.Steps["deploy-services"];

        Assert.Equal("", Build.Defaults["_YOUTUBE_API_KEY_SECRET"]);
        Assert.Contains("if [ -n \"${_YOUTUBE_API_KEY_SECRET}\" ]; then providers+=\",YouTube__ApiKey=${_YOUTUBE_API_KEY_SECRET}:latest\"; fi", step, StringComparison.Ordinal);
        Assert.Single(CloudBuildFile.EnvValues(Build.Text, "YouTube__ApiKey"));
        Assert.Equal(YouTubeTrendsOptions.ApiKeySetting, "YouTube__ApiKey".Replace("__", ":", StringComparison.Ordinal));
    }

    [Fact]
    public void The_refresh_job_posts_to_the_trends_service_with_the_invoker_token_on_the_interval_the_options_expect()
    {
        var step = Build.Steps["trends-scheduler"];
        var job = CloudBuildFile.Command(step, "gcloud scheduler jobs \"$$verb\" http vf-trends-refresh");

        Assert.Contains($"--uri=\"$$service{TrendsRefreshEndpoints.Path}\"", job, StringComparison.Ordinal);
        Assert.Contains("--http-method=POST", job, StringComparison.Ordinal);
        Assert.Contains("--oidc-service-account-email=${_INVOKER_SERVICE_ACCOUNT}", job, StringComparison.Ordinal);
        Assert.Contains("--oidc-token-audience=\"$$service\"", job, StringComparison.Ordinal);
        Assert.Contains("--schedule=\"${_TRENDS_REFRESH_SCHEDULE}\"", job, StringComparison.Ordinal);
        Assert.Contains("service=\"https://vf-trends-$PROJECT_NUMBER.${_REGION}.run.app\"", step, StringComparison.Ordinal);
        // Hourly, as YouTube:TrendRefreshInterval says, so a chart is retaken before it passes YouTube:TrendSnapshotMaxAge.
        Assert.Equal(TimeSpan.FromHours(1), new YouTubeTrendsOptions().TrendRefreshInterval);
        Assert.Matches(@"^\d{1,2} \* \* \* \*$", Build.Defaults["_TRENDS_REFRESH_SCHEDULE"]);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ViralForge.Functions.Tests.Deploy;

namespace ViralForge.Functions.Tests.Reconcile;

/// <summary>POST /reconcile: behind the stage endpoints' token check, served by the first stage's host, called by the vf-reconcile scheduler job.</summary>
public sealed class ReconcileEndpointTests
{
    [Fact]
    public async Task A_caller_without_the_token_is_refused_and_the_trusted_caller_gets_the_pass_s_report()
    {
        await using var host = await TestHost.StartAsync(dispatch: false);

        using var refused = await host.Client.PostAsync(ReconcileEndpoints.Path, null);
        using var request = new HttpRequestMessage(HttpMethod.Post, ReconcileEndpoints.Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.Token);
        using var answered = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        using var report = JsonDocument.Parse(await answered.Content.ReadAsStringAsync());
        Assert.Equal(0, report.RootElement.GetProperty("examined").GetInt32());
        Assert.Equal(0, report.RootElement.GetProperty("requeued").GetInt32());
    }

    [Fact]
    public void The_scheduler_job_calls_vf_trends_with_the_invoker_s_token_for_the_audience_vf_trends_accepts()
    {
        var build = CloudBuildFile.Load();
        var step = build.Steps["scheduler"];
        var audience = Assert.Single(CloudBuildFile.EnvValues(CloudBuildFile.Function(build.Steps["deploy-services"], "settings"), "Google__Auth__Audience"));

        Assert.Contains("service=\"" + audience.Replace("$$1", "vf-trends", StringComparison.Ordinal) + "\"", step, StringComparison.Ordinal);
        Assert.Equal(["$$service" + ReconcileEndpoints.Path], CloudBuildFile.QuotedFlagValues(step, "--uri"));
        Assert.Equal(["$$service"], CloudBuildFile.QuotedFlagValues(step, "--oidc-token-audience"));
        Assert.Equal(["${_INVOKER_SERVICE_ACCOUNT}"], CloudBuildFile.FlagValues(step, "--oidc-service-account-email"));
        Assert.Equal(["POST"], CloudBuildFile.FlagValues(step, "--http-method"));
        // the host maps /reconcile where it serves trends, and only there among the stage services
        Assert.Contains(Core.Jobs.StageName.Trends, FunctionsApp.StagesToServe("trends"));
    }
}

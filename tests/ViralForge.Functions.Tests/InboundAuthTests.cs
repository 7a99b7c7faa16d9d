using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ViralForge.Functions.Tests;

public sealed class InboundAuthTests
{
    private const string Body = """{"jobId":"0195f3d2-0000-7000-8000-000000000001","generation":1}""";

    [Theory]
    [InlineData(null)]                      // no Authorization header
    [InlineData("Bearer ")]                 // empty token
    [InlineData("Bearer wrong-token")]      // wrong token
    [InlineData("Basic dXNlcjpwYXNz")]      // another scheme
    [InlineData("bearer functions-test-token-0123456789abcdef0123456789")] // scheme is case-sensitive here
    [InlineData("Bearer functions-test-token-0123456789abcdef012345678")]  // one character short
    public async Task Stage_endpoints_refuse_untrusted_callers(string? authorization)
    {
        await using var host = await TestHost.StartAsync(dispatch: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/stages/trends") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Job_status_refuses_untrusted_callers()
    {
        await using var host = await TestHost.StartAsync(dispatch: false);
        using var response = await host.Client.GetAsync($"/jobs/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_trusted_caller_with_a_malformed_message_gets_400_naming_the_shape()
    {
        await using var host = await TestHost.StartAsync(dispatch: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/stages/trends") { Content = new StringContent("{\"jobId\": 5", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.Token);

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Malformed stage message", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_trusted_caller_for_an_unknown_job_is_told_there_is_nothing_to_do()
    {
        await using var host = await TestHost.StartAsync(dispatch: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/stages/trends") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.Token);

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("skipped", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Function_target_selects_one_stage_and_refuses_unknown_names()
    {
        Assert.Equal([Core.Jobs.StageName.Render], FunctionsApp.StagesToServe("render"));
        Assert.Equal(8, FunctionsApp.StagesToServe(null).Count);
        var error = Assert.Throws<InvalidOperationException>(() => FunctionsApp.StagesToServe("rendr"));
        Assert.Contains("rendr", error.Message);
    }
}

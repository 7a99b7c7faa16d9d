using System.Net.Http.Headers;
using System.Text;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Stages;

namespace ViralForge.Testing;

/// <summary>Review states and task deliveries for tests that do not run the pipeline up to review.</summary>
public static class TestReviews
{
    /// <summary>Puts the job's generation 1 review run in the state the review stage leaves it: waiting for a decision.</summary>
    public static async Task AwaitReviewAsync(IJobStore store, Guid jobId)
    {
        ArgumentNullException.ThrowIfNull(store);
        await store.ClaimStageAsync(jobId, StageName.Review, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.AwaitApprovalAsync(jobId, StageName.Review, 1, StageJson.ToElement(new ReviewOutput(ReviewVerdicts.Pending, "", null)), CancellationToken.None);
        await store.SetStatusAsync(jobId, JobStatus.ForStage(StageName.Review), StageName.Review, CancellationToken.None);
    }

    /// <summary>Posts a task body ({jobId, generation}) to one of a host's task endpoints, as the queue does.</summary>
    public static async Task<HttpResponseMessage> PostTaskAsync(this HttpClient client, string path, Guid jobId, int generation, string? token)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent($$"""{"jobId":"{{jobId}}","generation":{{generation}}}""", Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await client.SendAsync(request);
    }
}

using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Functions.Tests.Dashboard;

/// <summary>Jobs made straight in the store for the dashboard's HTTP tests (fast and exact).</summary>
internal static class DashboardSeed
{
    public static async Task<Guid> SubmitAsync(TestHost host, string topic, string? sheet = null)
    {
        var request = new VideoRequest(topic, Platforms.YouTube, 20, "clean", "default", "en", null, [], "");
        var submission = await host.Get<IJobStore>().SubmitAsync(sheet ?? host.Folder.File("sheet.csv"), Guid.NewGuid().ToString("N"), request, CancellationToken.None);
        return submission.Job.Id;
    }
}

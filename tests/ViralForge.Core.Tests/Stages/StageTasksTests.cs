using System.Security.Cryptography;
using System.Text;
using ViralForge.Core.Jobs;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Stages;

public class StageTasksTests
{
    private static readonly Guid Job = Guid.Parse("0195f3d2-0000-7000-8000-000000000001");

    [Fact]
    public void Task_name_is_the_first_16_bytes_of_sha256_of_job_stage_and_generation_in_lowercase_hex()
    {
        // Written out independently: queued tasks are named with it, so a changed encoding would enqueue twice.
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("0195f3d2000070008000000000000001/render/2"))[..16]);

        Assert.Equal(expected, StageTasks.TaskName(Job, StageName.Render, 2));
        Assert.Equal(32, expected.Length);
    }

    [Fact]
    public void A_kind_other_than_a_stage_hashes_the_same_way()
    {
        Assert.Equal(StageTasks.TaskName(Job, StageName.Review, 3), StageTasks.TaskName(Job, "review", 3));
        Assert.Equal(
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("0195f3d2000070008000000000000001/review-remind/1"))[..16]),
            StageTasks.TaskName(Job, "review-remind", 1));
    }

    [Fact]
    public void Job_stage_and_generation_each_change_the_name()
    {
        var names = new[]
        {
            StageTasks.TaskName(Job, StageName.Render, 1),
            StageTasks.TaskName(Job, StageName.Render, 2),
            StageTasks.TaskName(Job, StageName.Voice, 1),
            StageTasks.TaskName(Guid.Parse("0195f3d2-0000-7000-8000-000000000002"), StageName.Render, 1),
        };

        Assert.Equal(names.Length, names.Distinct().Count());
    }
}

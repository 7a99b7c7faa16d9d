using System.Text;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Stages;

public class StageMessageTests
{
    private static Task<(StageMessage? Message, string? Problem)> ReadAsync(string body) =>
        StageMessage.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None);

    [Fact]
    public async Task Reads_job_and_generation()
    {
        var (message, problem) = await ReadAsync("""{"jobId":"0195f3d2-0000-7000-8000-000000000001","generation":2}""");

        Assert.Equal(new StageMessage(Guid.Parse("0195f3d2-0000-7000-8000-000000000001"), 2), message);
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("""{"jobId":"00000000-0000-0000-0000-000000000000","generation":1}""")]
    [InlineData("""{"jobId":"0195f3d2-0000-7000-8000-000000000001","generation":0}""")]
    [InlineData("""{"jobId":"0195f3d2-0000-7000-8000-000000000001"}""")]
    [InlineData("""{"generation":1}""")]
    [InlineData("null")]
    public async Task A_body_naming_no_job_or_no_generation_gets_the_expected_shape(string body)
    {
        var (message, problem) = await ReadAsync(body);

        Assert.Null(message);
        Assert.Equal("expected {\"jobId\": \"<uuid>\", \"generation\": <1 or more>}", problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{not json")]
    [InlineData("""{"jobId":"not-a-uuid","generation":1}""")]
    [InlineData("""{"jobId":"0195f3d2-0000-7000-8000-000000000001","generation":"one"}""")]
    public async Task A_body_that_is_not_the_message_gets_the_json_error(string body)
    {
        var (message, problem) = await ReadAsync(body);

        Assert.Null(message);
        Assert.False(string.IsNullOrEmpty(problem));
        Assert.NotEqual(StageMessage.ExpectedShape, problem);
    }
}

using Microsoft.Extensions.Time.Testing;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;
using ViralForge.Testing.InMemory;

namespace ViralForge.Core.Tests.Stages;

public class VisualsStageTests
{
    private static readonly VideoScript Script = new("Title", "Hook", [new ScriptBeat("Cats sleep a lot.", "Cats sleep")], "Follow", "Description", ["cats"], 165, 10);

    [Fact]
    public async Task A_regenerate_with_feedback_hands_the_provider_what_the_reviewer_asked_for_and_the_rows_format()
    {
        var (store, job) = await JobAsync(CoreHarness.Request() with { Format = VideoChoices.Square });
        await StageOutputsForTests.CompleteAsync(store, job, StageName.Review,
            new ReviewOutput(ReviewVerdicts.Regenerate, "Ana", null, "Darker please, and show the ocean", StageName.Visuals.Wire()));
        await store.BumpGenerationAsync(job.Id, 1, CancellationToken.None);
        var provider = new RecordingVisuals();

        await new VisualsStage(provider).RunAsync(Context(store, job, 2), CancellationToken.None);

        var request = Assert.Single(provider.Requests);
        Assert.Equal(VideoChoices.Square, request.Format);
        Assert.Equal(-1, request.Feedback!.Brightness);
        Assert.Equal(["the ocean"], request.Feedback.VisualTerms);
    }

    [Fact]
    public async Task A_first_generation_has_no_feedback()
    {
        var (store, job) = await JobAsync(CoreHarness.Request());
        var provider = new RecordingVisuals();

        await new VisualsStage(provider).RunAsync(Context(store, job, 1), CancellationToken.None);

        var request = Assert.Single(provider.Requests);
        Assert.Null(request.Feedback);
        Assert.Equal(VideoChoices.Vertical, request.Format);
    }

    private static async Task<(InMemoryJobStore Store, Job Job)> JobAsync(VideoRequest request)
    {
        var store = new InMemoryJobStore(new FakeTimeProvider());
        var job = (await store.SubmitAsync("memory:ideas", $"hash-{Guid.NewGuid():N}", request, CancellationToken.None)).Job;
        await StageOutputsForTests.CompleteAsync(store, job, StageName.Script, Script);
        return (store, job);
    }

    private static StageContext Context(InMemoryJobStore store, Job job, int generation) =>
        new(job with { Generation = generation }, StageName.Visuals, generation, Path.GetTempPath(), store, new InMemoryBlobStore());

    private sealed class RecordingVisuals : IVisualsProvider
    {
        public List<VisualsRequest> Requests { get; } = [];

        public Task<IReadOnlyList<VisualClip>> CreateAsync(VisualsRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult<IReadOnlyList<VisualClip>>(
                [.. request.BeatSeconds.Select((s, i) => new VisualClip(i, Path.Combine(request.OutputFolder, $"beat-{i + 1:00}.mp4"), s, "background"))]);
        }
    }
}

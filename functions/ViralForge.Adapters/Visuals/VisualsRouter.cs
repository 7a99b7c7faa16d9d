using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Local;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Visuals;

/// <summary>
/// The visuals of a row as its Visuals column asks: <c>generated</c> by ffmpeg offline; <c>stock</c> footage per beat
/// from the stock sites in <see cref="VisualsOptions.StockSources"/> order; <c>ai</c> video per beat; <c>mixed</c>, AI
/// for the hook's beat and stock for the rest. A beat that cannot have what was asked gets the next best (a refused AI
/// clip becomes stock, a beat no stock matches becomes a generated visual) and a note saying so for the row.
/// </summary>
public sealed class VisualsRouter(
    FfmpegVisualsProvider generated,
    IEnumerable<IStockFootageSource> sources,
    IEnumerable<IVideoGenerator> generators,
    IOptions<VisualsOptions> options,
    IClipHistory? history = null,
    ILogger<VisualsRouter>? log = null) : IVisualsProvider
{
    private readonly IReadOnlyList<IStockFootageSource> stockSources = Ordered(sources, options.Value.StockSourceOrder);
    private readonly IReadOnlyList<IVideoGenerator> videoGenerators = [.. generators];

    /// <summary>The stock sites configured, in the order they are asked.</summary>
    public IReadOnlyList<string> StockSourceNames => [.. stockSources.Select(s => s.Name)];

    public async Task<IReadOnlyList<VisualClip>> CreateAsync(VisualsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mode = (request.Visuals ?? "").Trim().ToLowerInvariant();
        if (mode is "" or VideoChoices.VisualsGenerated)
        {
            return await generated.CreateAsync(request, cancellationToken);
        }
        if (mode is not (VideoChoices.VisualsStock or VideoChoices.VisualsAi or VideoChoices.VisualsMixed))
        {
            throw new PermanentStageException($"Visuals '{request.Visuals}' is not a visuals source; use {string.Join(", ", VideoChoices.VisualSources)}.");
        }
        var beats = request.Script.Beats;
        if (request.BeatSeconds.Count != beats.Count)
        {
            throw new ArgumentException($"The script has {beats.Count} beats but BeatSeconds has {request.BeatSeconds.Count} durations; they must match.", nameof(request));
        }
        var generator = mode == VideoChoices.VisualsStock ? null : ChooseGenerator(mode);
        if (mode is VideoChoices.VisualsStock or VideoChoices.VisualsMixed && stockSources.Count == 0)
        {
            throw new PermanentStageException($"Visuals {mode} needs Pexels:ApiKey or Pixabay:ApiKey; set one, or use Visuals generated.");
        }

        var folder = Path.GetFullPath(request.OutputFolder);
        Directory.CreateDirectory(folder);
        var clips = new VisualClip?[beats.Count];
        // A beat longer than its stock clip gets a second clip for the rest (a second shot), which follows it here.
        var secondShots = new VisualClip?[beats.Count];
        var notes = new string?[beats.Count];

        if (generator is not null)
        {
            var aiBeats = mode == VideoChoices.VisualsAi ? Enumerable.Range(0, beats.Count).ToList() : [0];
            // All generations are started before any is waited for: each stores its vendor id first, so when one is still
            // running at its deadline (WorkStillRunningException, thrown on from here) the redelivery resumes them all.
            var made = await Task.WhenAll(aiBeats.Select(i => GenerateAsync(generator, request, i, folder, cancellationToken)));
            foreach (var (index, clip, note) in made)
            {
                clips[index] = clip;
                notes[index] = note;
            }
        }

        var frame = generated.FrameSize(request.Format);
        var recent = await RecentClipsAsync(request, cancellationToken);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var leftForGenerated = new List<int>();
        for (var i = 0; i < beats.Count; i++)
        {
            if (clips[i] is not null)
            {
                continue;
            }
            // notes[i] holds why an AI clip was not made, when one was asked for.
            var aiFailure = notes[i];
            var stock = stockSources.Count == 0 ? null : await StockAsync(request, i, frame, used, recent, folder, cancellationToken);
            if (stock is { Count: > 0 })
            {
                clips[i] = stock[0] with { Note = aiFailure is null ? null : $"Beat {i + 1}: {aiFailure}; stock footage instead." };
                secondShots[i] = stock.Count > 1 ? stock[1] : null;
                continue;
            }
            var tried = string.Join(" or ", Queries(request, i).Select(q => $"\"{q}\""));
            notes[i] = (aiFailure, stockSources.Count) switch
            {
                (not null, 0) => $"Beat {i + 1}: {aiFailure}; no stock source is set, so a generated visual instead.",
                (not null, _) => $"Beat {i + 1}: {aiFailure}; no stock footage matched {tried} either, so a generated visual instead.",
                _ => $"Beat {i + 1}: no stock footage on {string.Join(" or ", StockSourceNames)} matched {tried}; a generated visual instead.",
            };
            leftForGenerated.Add(i);
        }
        if (leftForGenerated.Count > 0)
        {
            foreach (var clip in await GeneratedAsync(request, leftForGenerated, folder, cancellationToken))
            {
                clips[clip.BeatIndex] = clip with { Note = notes[clip.BeatIndex] };
                log?.VisualFallback(request.JobId, clip.BeatIndex + 1, notes[clip.BeatIndex]!);
            }
        }
        // Beat order, a beat's second shot right after its first: the render makes one scene of each clip in this order.
        return [.. clips.SelectMany((clip, i) => secondShots[i] is { } second ? new[] { clip!, second } : [clip!])];
    }

    /// <summary>The frame's orientation as the stock sites name it: portrait for 9:16, square for 1:1, landscape for 16:9.</summary>
    public static string OrientationOf(string format) => format switch
    {
        VideoChoices.Square => "square",
        VideoChoices.Landscape => "landscape",
        _ => "portrait",
    };

    /// <summary>
    /// What is searched for a beat, in turn until something matches: the reviewer's words on a regenerate ("show the
    /// beach", one term per beat in turn) or the script's visual query (its card text when the writer gave none), then
    /// its first two words, then the row's topic.
    /// </summary>
    public static IReadOnlyList<string> Queries(VisualsRequest request, int beatIndex)
    {
        ArgumentNullException.ThrowIfNull(request);
        var primary = PrimaryQuery(request, beatIndex);
        var words = primary.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var topic = string.IsNullOrWhiteSpace(request.Topic) ? request.Script.Title : request.Topic;
        return [.. new[] { primary, string.Join(' ', words.Take(2)), topic.Trim() }
            .Where(q => q.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private static string PrimaryQuery(VisualsRequest request, int beatIndex)
    {
        var terms = request.Feedback?.VisualTerms ?? [];
        if (terms.Count > 0)
        {
            return terms[beatIndex % terms.Count].Trim();
        }
        var beat = request.Script.Beats[beatIndex];
        return (string.IsNullOrWhiteSpace(beat.VisualQuery) ? beat.CardText : beat.VisualQuery).Trim();
    }

    private IVideoGenerator ChooseGenerator(string mode)
    {
        var asked = options.Value.AiProvider;
        var generator = asked.Length == 0 ? videoGenerators.FirstOrDefault() : videoGenerators.FirstOrDefault(g => g.Name == asked);
        if (generator is not null)
        {
            return generator;
        }
        throw new PermanentStageException(asked.Length == 0
            ? $"Visuals {mode} needs a video model: set Runway:ApiKey or Veo:Project, or use Visuals stock or generated."
            : $"Visuals:AiProvider is {asked} but {asked} is not configured; set its settings, or set Visuals:AiProvider to the model that is.");
    }

    private static async Task<(int Index, VisualClip? Clip, string? Note)> GenerateAsync(
        IVideoGenerator generator, VisualsRequest request, int i, string folder, CancellationToken cancellationToken)
    {
        var beat = request.Script.Beats[i];
        var query = PrimaryQuery(request, i);
        // What to show, then what is said over it, so the model sees the scene and its sense.
        var narration = beat.Narration.Trim();
        var prompt = query.Length == 0 || string.Equals(query, narration, StringComparison.OrdinalIgnoreCase) ? narration : $"{query}. {narration}";
        var work = new PaidWork(request.JobId, StageName.Visuals, request.Generation, $"ai-beat-{i + 1}");
        try
        {
            var video = await generator.GenerateAsync(new VideoPrompt(prompt, request.Format, request.BeatSeconds[i], work), BeatPath(folder, i), cancellationToken);
            return (i, new VisualClip(i, video.LocalPath, request.BeatSeconds[i], "ai", video.Credit), null);
        }
        catch (VideoGenerationFailedException e)
        {
            return (i, null, e.Message);
        }
    }

    /// <summary>
    /// Stock footage for beat <paramref name="i"/>, downloaded: one clip, or two when the best one is shorter than the
    /// beat by at least <see cref="MinShotSeconds"/> and another candidate can fill the rest (two shots instead of one
    /// clip looping back to its start, which viewers see as a jump). Null when no site has anything for any of its
    /// queries. Per query, the frame's orientation is searched first on every site, then any orientation (the renderer
    /// crops to fill); the best candidate of all those answers is taken. A site that fails is skipped; when none
    /// answered at all, the failure is thrown so the queue tries the stage again later instead of settling for a
    /// generated visual.
    /// </summary>
    private async Task<IReadOnlyList<VisualClip>?> StockAsync(
        VisualsRequest request, int i, (int Width, int Height) frame, HashSet<string> used, IReadOnlySet<string> recent, string folder, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var seconds = request.BeatSeconds[i];
        var orientation = OrientationOf(request.Format);
        Exception? failure = null;
        var answered = false;
        foreach (var query in Queries(request, i))
        {
            var candidates = new List<(StockChoice Choice, IStockFootageSource Source)>();
            foreach (var shape in new[] { orientation, "" })
            {
                foreach (var source in stockSources)
                {
                    IReadOnlyList<StockClip> found;
                    try
                    {
                        found = await source.SearchAsync(new StockSearch(query, shape, seconds, request.Language, o.PerPage), cancellationToken);
                        answered = true;
                    }
                    catch (Exception e) when (IsSiteFailure(e, cancellationToken))
                    {
                        failure ??= e;
                        log?.StockSourceFailed(source.Name, e.Message);
                        continue;
                    }
                    var ranked = StockClipPicker.Rank(found, seconds, frame.Width, frame.Height, o, used, recent);
                    // A clip another search already offered (the same video found portrait and in any orientation) counts once.
                    var known = candidates.Select(c => c.Choice.Clip.Key).ToHashSet(StringComparer.Ordinal);
                    candidates.AddRange(ranked.Where(c => known.Add(c.Clip.Key)).Select(c => (c, source)));
                }
                // The frame's own shape is preferred: the other shapes are searched only when it gave nothing good.
                if (candidates.Any(c => c.Choice is { Fresh: true, Sharp: true }))
                {
                    break;
                }
            }
            var best = candidates
                .OrderByDescending(c => c.Choice.Fresh)
                .ThenByDescending(c => c.Choice.Sharp)
                .ThenByDescending(c => c.Choice.LongEnough)
                .Take(3);
            var path = BeatPath(folder, i);
            if (await DownloadFirstAsync(best, path, used, request.JobId, i, query, e => failure ??= e, cancellationToken) is not { } choice)
            {
                continue;
            }
            var first = new VisualClip(i, path, seconds, "stock", choice.Clip.Credit);
            var shortBy = seconds - choice.Clip.DurationSeconds;
            if (shortBy >= MinShotSeconds && choice.Clip.DurationSeconds >= MinShotSeconds
                && await SecondShotAsync(request, i, shortBy, candidates.Where(c => c.Choice.Clip.Key != choice.Clip.Key), used, query, folder, cancellationToken) is { } second)
            {
                return [first with { DurationSeconds = choice.Clip.DurationSeconds }, second];
            }
            // A clip shorter than the beat (LongEnough false) is still taken: the renderer loops it to the beat's length.
            return [first];
        }
        if (!answered && failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
        return null;
    }

    /// <summary>
    /// The second shot of a beat whose first clip runs out <paramref name="seconds"/> early: the best other candidate of
    /// the same searches, one that lasts the rest first. Null when none downloads; the first clip then loops instead.
    /// </summary>
    private async Task<VisualClip?> SecondShotAsync(
        VisualsRequest request, int i, double seconds, IEnumerable<(StockChoice Choice, IStockFootageSource Source)> others, HashSet<string> used, string query,
        string folder, CancellationToken cancellationToken)
    {
        var ranked = others
            .Where(c => !used.Contains(c.Choice.Clip.Key))
            .OrderByDescending(c => c.Choice.Fresh)
            .ThenByDescending(c => c.Choice.Sharp)
            .ThenByDescending(c => c.Choice.Clip.DurationSeconds >= seconds)
            .Take(2);
        var path = SecondShotPath(folder, i);
        return await DownloadFirstAsync(ranked, path, used, request.JobId, i, query, null, cancellationToken) is { } choice
            ? new VisualClip(i, path, Math.Round(seconds, 3), "stock", choice.Clip.Credit)
            : null;
    }

    /// <summary>
    /// Downloads the first of <paramref name="ranked"/> that downloads to <paramref name="path"/> and marks it used in this
    /// video; null when none does. A removed file or a broken download is logged and handed to <paramref name="failed"/>:
    /// the next candidate is as good a match.
    /// </summary>
    private async Task<StockChoice?> DownloadFirstAsync(
        IEnumerable<(StockChoice Choice, IStockFootageSource Source)> ranked, string path, HashSet<string> used, Guid jobId, int beatIndex, string query,
        Action<Exception>? failed, CancellationToken cancellationToken)
    {
        foreach (var (choice, source) in ranked)
        {
            try
            {
                await source.DownloadAsync(choice.Rendition, path, cancellationToken);
            }
            catch (Exception e) when (IsSiteFailure(e, cancellationToken) || e is IOException)
            {
                failed?.Invoke(e);
                log?.StockSourceFailed(source.Name, e.Message);
                continue;
            }
            used.Add(choice.Clip.Key);
            log?.StockClipChosen(jobId, beatIndex + 1, choice.Clip.Key, choice.Rendition.Width, choice.Rendition.Height, query);
            return choice;
        }
        return null;
    }

    /// <summary>The shortest shot a beat is split into: a clip this much shorter than its beat gets a second one for the rest.</summary>
    public const double MinShotSeconds = 1.5;

    private static bool IsSiteFailure(Exception e, CancellationToken cancellationToken) =>
        e is StockSourceUnavailableException or HttpRequestException or TimeoutException or InvalidDataException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private async Task<IReadOnlySet<string>> RecentClipsAsync(VisualsRequest request, CancellationToken cancellationToken)
    {
        var videos = options.Value.HistoryVideos;
        return history is null || videos <= 0 || string.IsNullOrEmpty(request.SheetId)
            ? new HashSet<string>()
            : await history.RecentClipKeysAsync(request.SheetId, videos, cancellationToken);
    }

    /// <summary>
    /// Generated visuals for the beats no other source covered. The offline provider makes a script's beats in order and
    /// varies each by its index, so it is given the script up to the last such beat (in a folder of its own) and only
    /// the beats needed are kept, under the names the other beats use.
    /// </summary>
    private async Task<IReadOnlyList<VisualClip>> GeneratedAsync(VisualsRequest request, IReadOnlyList<int> beats, string folder, CancellationToken cancellationToken)
    {
        var count = beats.Max() + 1;
        var scratch = Path.Combine(folder, $".generated-{Guid.NewGuid():N}");
        var partial = request with
        {
            Script = request.Script with { Beats = [.. request.Script.Beats.Take(count)] },
            BeatSeconds = [.. request.BeatSeconds.Take(count)],
            OutputFolder = scratch,
        };
        try
        {
            var made = await generated.CreateAsync(partial, cancellationToken);
            var kept = new List<VisualClip>();
            foreach (var i in beats)
            {
                var clip = made.Single(c => c.BeatIndex == i);
                var path = BeatPath(folder, i);
                File.Move(clip.LocalPath, path, overwrite: true);
                kept.Add(clip with { LocalPath = path });
            }
            return kept;
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    private static string BeatPath(string folder, int i) => Path.Combine(folder, $"beat-{i + 1:00}.mp4");

    private static string SecondShotPath(string folder, int i) => Path.Combine(folder, $"beat-{i + 1:00}b.mp4");

    private static List<IStockFootageSource> Ordered(IEnumerable<IStockFootageSource> sources, IReadOnlyList<string> order)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var all = sources.ToList();
        // The sites in the configured order; a site left out of the list is not asked.
        return [.. order.Select(name => all.FirstOrDefault(s => s.Name == name)).OfType<IStockFootageSource>()];
    }
}

using System.Text.RegularExpressions;
using ViralForge.Core.Ports;

namespace ViralForge.Render;

/// <summary>
/// Checks a render plan before anything runs. Every problem is one sentence that starts with the field's JSON path
/// ("scenes[2].duration: ..."), so the person who wrote the plan knows exactly what to change.
/// </summary>
public static partial class RenderPlanValidator
{
    /// <summary>Longest overlay text; a watermark is a handle or a brand, not a paragraph.</summary>
    public const int MaxOverlayTextLength = 200;

    /// <summary>Everything wrong with the plan's shape, without touching the disk; empty when it is well formed.</summary>
    public static IReadOnlyList<string> FindProblems(RenderPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var problems = new List<string>();
        if (plan.Version != RenderPlan.CurrentVersion)
        {
            problems.Add($"version: {plan.Version} is not supported; this renderer reads version {RenderPlan.CurrentVersion}.");
        }

        var assets = plan.Assets ?? new Dictionary<string, PlanAsset>();
        foreach (var (id, asset) in assets)
        {
            if (!AssetId().IsMatch(id ?? string.Empty))
            {
                problems.Add($"assets.{id}: an asset id is 1-64 letters, digits, '-', '_' or '.'.");
            }

            if (asset is null || string.IsNullOrWhiteSpace(asset.Path))
            {
                problems.Add($"assets.{id}.path: is missing.");
            }
            else if (asset.Path.Contains('\0', StringComparison.Ordinal))
            {
                problems.Add($"assets.{id}.path: contains a NUL character.");
            }
        }

        CheckOutput(plan.Output, problems);
        var fps = plan.Output is { FramesPerSecond: > 0 } ? plan.Output.FramesPerSecond : 30;
        var before = problems.Count;
        CheckScenes(plan.Scenes, assets, problems);

        // The length is only meaningful when every scene is well formed.
        var length = problems.Count == before && plan.Scenes is { Count: > 0 } ? Timeline.LengthSeconds(plan.Scenes, fps) : (double?)null;
        if (length is { } seconds && plan.Output is { MaxSeconds: > 0 } && seconds > plan.Output.MaxSeconds)
        {
            problems.Add($"scenes: the video would last {FilterGraph.Number(seconds)} s, longer than the {FilterGraph.Number(plan.Output.MaxSeconds)} s that output profile '{plan.Output.Name}' allows.");
        }

        CheckCaptions(plan.Captions, length, problems);
        CheckOverlays(plan.Overlays, assets, problems);
        CheckAudio(plan.Audio, assets, problems);
        return problems;
    }

    /// <summary>Every asset file that does not exist, as a problem naming the asset; run after <see cref="FindProblems"/>.</summary>
    public static IReadOnlyList<string> FindMissingFiles(RenderPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var problems = new List<string>();
        foreach (var (id, asset) in plan.Assets)
        {
            if (!string.IsNullOrWhiteSpace(asset?.Path) && !File.Exists(asset.Path))
            {
                problems.Add($"assets.{id}.path: the file '{asset.Path}' does not exist.");
            }
        }

        return problems;
    }

    /// <summary>The problem when the scenes end before the narration does; null when they cover it.</summary>
    public static string? NarrationProblem(RenderPlan plan, double narrationSeconds)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var length = Timeline.LengthSeconds(plan.Scenes, plan.Output.FramesPerSecond);
        // Half a frame of slack: the timeline is counted in whole frames, the narration in samples.
        return narrationSeconds > length + (0.5 / plan.Output.FramesPerSecond)
            ? $"scenes: they last {FilterGraph.Number(length)} s but the narration (audio.narration) lasts {FilterGraph.Number(narrationSeconds)} s; the scenes must cover the narration."
            : null;
    }

    /// <summary>Throws <see cref="RenderPlanException"/> with every problem when the plan's shape is wrong.</summary>
    public static void ThrowIfInvalid(RenderPlan plan)
    {
        var problems = FindProblems(plan);
        if (problems.Count > 0)
        {
            throw new RenderPlanException(problems);
        }
    }

    private static void CheckOutput(OutputProfile? output, List<string> problems)
    {
        if (output is null)
        {
            problems.Add("output: is missing.");
            return;
        }

        if (output.Width is < 240 or > 4320 || output.Width % 2 != 0)
        {
            problems.Add($"output.width: {output.Width} must be an even number from 240 to 4320 (H.264 with yuv420p needs even sizes).");
        }

        if (output.Height is < 240 or > 4320 || output.Height % 2 != 0)
        {
            problems.Add($"output.height: {output.Height} must be an even number from 240 to 4320 (H.264 with yuv420p needs even sizes).");
        }

        if (output.FramesPerSecond is < 10 or > 120)
        {
            problems.Add($"output.framesPerSecond: {output.FramesPerSecond} must be from 10 to 120.");
        }

        if (!(output.MaxSeconds > 0) || !double.IsFinite(output.MaxSeconds))
        {
            problems.Add($"output.maxSeconds: {FilterGraph.Number(output.MaxSeconds)} must be a positive number of seconds.");
        }

        if (output.MaxVideoKbps is < 100 or > 200_000)
        {
            problems.Add($"output.maxVideoKbps: {output.MaxVideoKbps} must be from 100 to 200000.");
        }

        if (output.AudioKbps is < 32 or > 512)
        {
            problems.Add($"output.audioKbps: {output.AudioKbps} must be from 32 to 512.");
        }
    }

    private static void CheckScenes(IReadOnlyList<PlanScene>? scenes, IReadOnlyDictionary<string, PlanAsset> assets, List<string> problems)
    {
        if (scenes is null || scenes.Count == 0)
        {
            problems.Add("scenes: there are none; a video needs at least one scene.");
            return;
        }

        for (var i = 0; i < scenes.Count; i++)
        {
            var scene = scenes[i];
            var at = $"scenes[{i}]";
            if (scene is null)
            {
                problems.Add($"{at}: is null.");
                continue;
            }

            if (!(scene.Duration > 0) || !double.IsFinite(scene.Duration))
            {
                problems.Add($"{at}.duration: {FilterGraph.Number(scene.Duration)} s; it must be a positive number of seconds.");
            }

            var visual = scene.Visual ?? new PlanVisual();
            var kinds = (visual.Asset is null ? 0 : 1) + (visual.Color is null ? 0 : 1) + (visual.Gradient is null ? 0 : 1);
            if (kinds != 1)
            {
                problems.Add($"{at}.visual: needs exactly one of asset, color or gradient (it has {kinds}).");
            }

            if (visual.Asset is { } id)
            {
                if (!assets.TryGetValue(id, out var asset) || asset is null)
                {
                    problems.Add($"{at}.visual.asset: '{id}' is not one of the plan's assets.");
                }
                else if (asset.Kind == PlanAssetKind.Audio)
                {
                    problems.Add($"{at}.visual.asset: '{id}' is audio; a scene shows an image or a video.");
                }
                else if (asset.Kind == PlanAssetKind.Video && scene.Motion != SceneMotion.None)
                {
                    problems.Add($"{at}.motion: pan and zoom apply to still images; '{id}' is a video.");
                }
            }

            if (visual.Asset is null && scene.Motion != SceneMotion.None)
            {
                problems.Add($"{at}.motion: pan and zoom apply to still images, not to a colour or gradient.");
            }

            if (visual.Color is { } color && !HexColour().IsMatch(color))
            {
                problems.Add($"{at}.visual.color: '{color}' is not a colour like #1A2B3C.");
            }

            if (visual.Gradient is { } gradient)
            {
                if (gradient.Count != 2)
                {
                    problems.Add($"{at}.visual.gradient: needs exactly two colours (it has {gradient.Count}).");
                }

                for (var c = 0; c < gradient.Count; c++)
                {
                    if (!HexColour().IsMatch(gradient[c] ?? string.Empty))
                    {
                        problems.Add($"{at}.visual.gradient[{c}]: '{gradient[c]}' is not a colour like #1A2B3C.");
                    }
                }
            }

            if (!(scene.Transition >= 0) || !double.IsFinite(scene.Transition))
            {
                problems.Add($"{at}.transition: {FilterGraph.Number(scene.Transition)} s; it must be zero (a cut) or a positive number of seconds.");
            }
            else if (i == 0 && scene.Transition > 0)
            {
                problems.Add($"{at}.transition: the first scene has nothing to fade from; use 0.");
            }
            else if (i > 0 && scene.Transition > 0 && scenes[i - 1] is { } previous
                     && (scene.Transition * 2 > scene.Duration || scene.Transition * 2 > previous.Duration))
            {
                problems.Add($"{at}.transition: a {FilterGraph.Number(scene.Transition)} s fade needs both scenes it joins to last at least twice as long.");
            }
        }
    }

    private static void CheckCaptions(PlanCaptions? captions, double? length, List<string> problems)
    {
        if (captions is null)
        {
            return;
        }

        if (!CaptionStyle.TryGet(captions.Style ?? string.Empty, out _))
        {
            problems.Add($"captions.style: '{captions.Style}' is not a caption style; use one of {string.Join(", ", CaptionStyle.All.Select(s => s.Name))}.");
        }

        var words = captions.Words ?? [];
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var at = $"captions.words[{i}]";
            if (word is null || word.Word is null)
            {
                problems.Add($"{at}.word: is missing.");
                continue;
            }

            if (!(word.Start >= 0) || !double.IsFinite(word.Start))
            {
                problems.Add($"{at}.start: {FilterGraph.Number(word.Start)} s; it must be zero or more.");
            }
            else if (!(word.End >= word.Start) || !double.IsFinite(word.End))
            {
                problems.Add($"{at}.end: {FilterGraph.Number(word.End)} s is before its start ({FilterGraph.Number(word.Start)} s).");
            }
            else if (length is { } seconds && word.Start >= seconds)
            {
                problems.Add($"{at}.start: {FilterGraph.Number(word.Start)} s is after the video ends ({FilterGraph.Number(seconds)} s).");
            }
        }
    }

    private static void CheckOverlays(IReadOnlyList<PlanOverlay>? overlays, IReadOnlyDictionary<string, PlanAsset> assets, List<string> problems)
    {
        for (var i = 0; i < (overlays?.Count ?? 0); i++)
        {
            var overlay = overlays![i];
            var at = $"overlays[{i}]";
            if (overlay is null)
            {
                problems.Add($"{at}: is null.");
                continue;
            }

            if ((overlay.Text is null) == (overlay.Asset is null))
            {
                problems.Add($"{at}: needs exactly one of text or asset.");
            }

            if (overlay.Text is { Length: > MaxOverlayTextLength })
            {
                problems.Add($"{at}.text: {overlay.Text.Length} characters; an overlay holds at most {MaxOverlayTextLength}.");
            }

            if (overlay.Asset is { } id)
            {
                if (!assets.TryGetValue(id, out var asset) || asset is null)
                {
                    problems.Add($"{at}.asset: '{id}' is not one of the plan's assets.");
                }
                else if (asset.Kind != PlanAssetKind.Image)
                {
                    problems.Add($"{at}.asset: '{id}' is {asset.Kind.ToString().ToLowerInvariant()}; an overlay is an image.");
                }
            }

            if (!(overlay.Opacity is >= 0 and <= 1))
            {
                problems.Add($"{at}.opacity: {FilterGraph.Number(overlay.Opacity)} must be from 0 to 1.");
            }

            if (!(overlay.Width is > 0 and <= 1))
            {
                problems.Add($"{at}.width: {FilterGraph.Number(overlay.Width)} must be a fraction of the frame's width, above 0 and at most 1.");
            }
        }
    }

    private static void CheckAudio(PlanAudio? audio, IReadOnlyDictionary<string, PlanAsset> assets, List<string> problems)
    {
        if (audio is null)
        {
            problems.Add("audio: is missing; use {} for a silent video.");
            return;
        }

        if (audio.Narration is { } narration)
        {
            CheckAudioAsset("audio.narration", narration, assets, problems);
        }

        if (audio.Music is { } music)
        {
            CheckAudioAsset("audio.music.asset", music.Asset, assets, problems);
            if (!(music.Volume is > 0 and <= 1))
            {
                problems.Add($"audio.music.volume: {FilterGraph.Number(music.Volume)} must be above 0 and at most 1.");
            }
        }
    }

    private static void CheckAudioAsset(string at, string? id, IReadOnlyDictionary<string, PlanAsset> assets, List<string> problems)
    {
        if (id is null || !assets.TryGetValue(id, out var asset) || asset is null)
        {
            problems.Add($"{at}: '{id}' is not one of the plan's assets.");
        }
        else if (asset.Kind != PlanAssetKind.Audio)
        {
            problems.Add($"{at}: '{id}' is {asset.Kind.ToString().ToLowerInvariant()}, not audio.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex AssetId();

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex HexColour();
}

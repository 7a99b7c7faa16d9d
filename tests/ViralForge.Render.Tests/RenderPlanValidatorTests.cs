using System.Text.Json;
using ViralForge.Core;
using ViralForge.Core.Ports;

namespace ViralForge.Render.Tests;

public class RenderPlanValidatorTests
{
    private static RenderPlan Valid() => new()
    {
        Assets = new Dictionary<string, PlanAsset>
        {
            ["bg"] = new(PlanAssetKind.Video, "/in/bg.mp4"),
            ["voice"] = new(PlanAssetKind.Audio, "/in/voice.wav"),
        },
        Scenes = [new PlanScene { Visual = new PlanVisual { Asset = "bg" }, Duration = 5 }],
        Captions = new PlanCaptions([new WordTiming("Hi", 0.1, 0.4)]),
        Audio = new PlanAudio { Narration = "voice" },
    };

    [Fact]
    public void A_valid_plan_has_no_problems() => Assert.Empty(RenderPlanValidator.FindProblems(Valid()));

    [Theory]
    [InlineData(Core.Jobs.VideoChoices.Vertical, 1080, 1920)]
    [InlineData(Core.Jobs.VideoChoices.Square, 1080, 1080)]
    [InlineData(Core.Jobs.VideoChoices.Landscape, 1920, 1080)]
    public void Every_row_format_makes_a_valid_output(string format, int width, int height)
    {
        var output = OutputProfile.For(Core.Jobs.Platforms.Both, new Core.MediaOptions(), format);

        Assert.Equal((width, height), (output.Width, output.Height));
        Assert.Empty(RenderPlanValidator.FindProblems(Valid() with { Output = output }));
    }

    public static TheoryData<string, string> Broken => new()
    {
        { "unknown-asset", "scenes[0].visual.asset: 'nope' is not one of the plan's assets." },
        { "zero-duration", "scenes[0].duration: 0 s; it must be a positive number of seconds." },
        { "negative-duration", "scenes[0].duration: -2 s; it must be a positive number of seconds." },
        { "no-scenes", "scenes: there are none; a video needs at least one scene." },
        { "two-visuals", "scenes[0].visual: needs exactly one of asset, color or gradient (it has 2)." },
        { "bad-colour", "scenes[0].visual.color: 'red' is not a colour like #1A2B3C." },
        { "audio-as-scene", "scenes[0].visual.asset: 'voice' is audio; a scene shows an image or a video." },
        { "zoom-a-video", "scenes[0].motion: pan and zoom apply to still images; 'bg' is a video." },
        { "long-fade", "scenes[1].transition: a 3 s fade needs both scenes it joins to last at least twice as long." },
        { "first-fade", "scenes[0].transition: the first scene has nothing to fade from; use 0." },
        { "narration-not-audio", "audio.narration: 'bg' is video, not audio." },
        { "unknown-narration", "audio.narration: 'missing' is not one of the plan's assets." },
        { "bad-style", "captions.style: 'comic-sans' is not a caption style; use one of bold-pop, boxed, minimal." },
        { "word-backwards", "captions.words[0].end: 0.1 s is before its start (0.4 s)." },
        { "word-after-end", "captions.words[0].start: 9 s is after the video ends (5 s)." },
        { "odd-width", "output.width: 1081 must be an even number from 240 to 4320 (H.264 with yuv420p needs even sizes)." },
        { "too-long", "scenes: the video would last 200 s, longer than the 180 s that output profile 'youtube-shorts' allows." },
        { "version", "version: 2 is not supported; this renderer reads version 1." },
        { "overlay-both", "overlays[0]: needs exactly one of text or asset." },
        { "overlay-opacity", "overlays[0].opacity: 1.5 must be from 0 to 1." },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Each_problem_names_its_field(string breakage, string expected)
    {
        var plan = Valid();
        var scene = plan.Scenes[0];
        plan = breakage switch
        {
            "unknown-asset" => plan with { Scenes = [scene with { Visual = new PlanVisual { Asset = "nope" } }] },
            "zero-duration" => plan with { Scenes = [scene with { Duration = 0 }], Captions = null },
            "negative-duration" => plan with { Scenes = [scene with { Duration = -2 }], Captions = null },
            "no-scenes" => plan with { Scenes = [], Captions = null },
            "two-visuals" => plan with { Scenes = [scene with { Visual = new PlanVisual { Asset = "bg", Color = "#000000" } }] },
            "bad-colour" => plan with { Scenes = [scene with { Visual = new PlanVisual { Color = "red" } }] },
            "audio-as-scene" => plan with { Scenes = [scene with { Visual = new PlanVisual { Asset = "voice" } }] },
            "zoom-a-video" => plan with { Scenes = [scene with { Motion = SceneMotion.ZoomIn }] },
            "long-fade" => plan with { Scenes = [scene, scene with { Transition = 3 }] },
            "first-fade" => plan with { Scenes = [scene with { Transition = 0.5 }] },
            "narration-not-audio" => plan with { Audio = new PlanAudio { Narration = "bg" } },
            "unknown-narration" => plan with { Audio = new PlanAudio { Narration = "missing" } },
            "bad-style" => plan with { Captions = plan.Captions! with { Style = "comic-sans" } },
            "word-backwards" => plan with { Captions = new PlanCaptions([new WordTiming("Hi", 0.4, 0.1)]) },
            "word-after-end" => plan with { Captions = new PlanCaptions([new WordTiming("Hi", 9, 9.5)]) },
            "odd-width" => plan with { Output = plan.Output with { Width = 1081 } },
            "too-long" => plan with { Scenes = [scene with { Duration = 200 }] },
            "version" => plan with { Version = 2 },
            "overlay-both" => plan with { Overlays = [new PlanOverlay()] },
            "overlay-opacity" => plan with { Overlays = [new PlanOverlay { Text = "x", Opacity = 1.5 }] },
            _ => throw new ArgumentOutOfRangeException(nameof(breakage)),
        };

        Assert.Equal([expected], RenderPlanValidator.FindProblems(plan));
        Assert.Equal([expected], Assert.Throws<RenderPlanException>(() => RenderPlanValidator.ThrowIfInvalid(plan)).Problems);
    }

    [Fact]
    public void A_plan_reads_from_its_documented_json()
    {
        const string json = """
            {
              "version": 1,
              "assets": { "bg": { "kind": "image", "path": "/in/bg.png" }, "voice": { "kind": "audio", "path": "/in/v.wav" } },
              "scenes": [
                { "visual": { "asset": "bg" }, "duration": 3, "motion": "zoom-in" },
                { "visual": { "gradient": ["#000000", "#FFFFFF"] }, "duration": 2, "transition": 0.4 }
              ],
              "captions": { "style": "boxed", "words": [ { "word": "Hi", "start": 0, "end": 0.3 } ] },
              "overlays": [ { "text": "@me", "position": "top-right" } ],
              "audio": { "narration": "voice" },
              "output": { "name": "tiktok", "width": 1080, "height": 1920, "framesPerSecond": 30, "maxSeconds": 600, "maxVideoKbps": 12000, "audioKbps": 192 }
            }
            """;

        var plan = JsonSerializer.Deserialize(json, CoreJson.Default.RenderPlan)!;

        Assert.Empty(RenderPlanValidator.FindProblems(plan));
        Assert.Equal((SceneMotion.ZoomIn, 0.4, OverlayPosition.TopRight, "boxed"), (plan.Scenes[0].Motion, plan.Scenes[1].Transition, plan.Overlays[0].Position, plan.Captions!.Style));
        Assert.Contains("\"motion\":\"zoom-in\"", JsonSerializer.Serialize(plan, CoreJson.Default.RenderPlan), StringComparison.Ordinal);
    }
}

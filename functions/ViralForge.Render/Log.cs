using Microsoft.Extensions.Logging;

namespace ViralForge.Render;

/// <summary>Every log message of the render assembly (event ids 2000-2999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "ffmpeg finished in {ElapsedMilliseconds} ms: {Arguments}")]
    public static partial void FfmpegFinished(ILogger logger, long elapsedMilliseconds, string arguments);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "ffmpeg was killed after the {Timeout} timeout")]
    public static partial void FfmpegTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Rendered {OutputPath}: {Scenes} scenes, {DurationSeconds:0.00} s in {ElapsedMilliseconds} ms")]
    public static partial void Rendered(ILogger logger, string outputPath, int scenes, double durationSeconds, long elapsedMilliseconds);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Loudness pass {Pass}: {IntegratedLufs:0.0} LUFS, true peak {TruePeak:0.0} dBTP after a {PreGainDb:0.0} dB pre-gain")]
    public static partial void LoudnessMeasured(ILogger logger, int pass, double integratedLufs, double truePeak, double preGainDb);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Clip {AssetId} ({FileName}) is a still image ({Format}), not a video; it is shown as a still")]
    public static partial void ClipIsStill(ILogger logger, string assetId, string fileName, string format);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "Clip {AssetId}: {Codec} {Width}x{Height} as shown (rotation {Rotation}), {FramesPerSecond:0.###} fps (variable: {Variable}), {BitDepth}-bit, transfer {Transfer}, {Seconds:0.00} s, own audio: {HasAudio}")]
    public static partial void ClipProbed(ILogger logger, string assetId, string codec, int width, int height, int rotation, double framesPerSecond, bool variable, int bitDepth, string transfer, double seconds, bool hasAudio);
}

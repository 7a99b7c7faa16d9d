using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Local;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Trends;

namespace ViralForge.Bot.Tests.Review;

/// <summary>The offline script writer, keeping every request the script stage gave it (the template writer ignores Notes).</summary>
public sealed class RecordingScriptWriter(IOptions<ViralForgeOptions> options) : IScriptWriter
{
    private readonly TemplateScriptWriter inner = new(options);

    public ConcurrentQueue<VideoRequest> Requests { get; } = new();

    public Task<VideoScript> WriteAsync(VideoRequest request, TrendAnalysis analysis, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return inner.WriteAsync(request, analysis, cancellationToken);
    }
}

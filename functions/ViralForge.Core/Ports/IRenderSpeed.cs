namespace ViralForge.Core.Ports;

/// <summary>
/// How fast this deployment renders, learnt from its own finished renders, so a render task's dispatch deadline fits the
/// machine it runs on rather than a guess.
/// </summary>
public interface IRenderSpeed
{
    /// <summary>Records one render done on this deployment: its video's length and the wall time it took.</summary>
    Task RecordAsync(double videoSeconds, TimeSpan wallTime, CancellationToken cancellationToken);

    /// <summary>Render wall seconds per second of video, a slow-end figure over recent renders; null before any was recorded.</summary>
    Task<double?> SecondsPerVideoSecondAsync(CancellationToken cancellationToken);
}

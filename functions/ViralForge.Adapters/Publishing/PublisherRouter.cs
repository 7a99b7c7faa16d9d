using System.Globalization;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Accounts;
using ViralForge.Adapters.Local;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Publishing;

/// <summary>
/// The publisher the publish stage sees: each of the row's platforms goes to its registered
/// <see cref="IPlatformPublisher"/> (YouTube, TikTok), and the platforms without one to the
/// <see cref="LocalFolderPublisher"/>, so a deployment with no platform connected publishes to the folder as before.
/// </summary>
/// <remarks>
/// Platforms go one after the other, each separately idempotent through its own ledger records: a crash after YouTube
/// finished and before TikTok did finds YouTube's video id on the redelivery and uploads only to TikTok. A platform that
/// must wait for its quota window does not hold the others up: they publish, and the deferral is thrown after them.
/// A platform whose account must be connected again fails the row while nothing is up yet; once another platform has
/// published, the row keeps that video and waits for the reconnect instead (a deferral of
/// <see cref="PublishingAccountsOptions.ReconnectRetry"/>, again until `vf connect` is run), since failing the job would
/// leave the published video up with nothing on the row saying so, and a new job would upload it a second time.
/// Progress is the platforms' shares, each platform an equal part.
/// </remarks>
public sealed class PublisherRouter(
    IEnumerable<IPlatformPublisher> platforms,
    LocalFolderPublisher local,
    TimeProvider? time = null,
    IOptions<PublishingAccountsOptions>? options = null) : IPublisher
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly TimeSpan reconnectRetry = options?.Value.ReconnectRetry ?? new PublishingAccountsOptions().ReconnectRetry;

    private readonly Dictionary<string, IPlatformPublisher> byName = platforms.ToDictionary(p => p.Platform, StringComparer.OrdinalIgnoreCase);

    /// <summary>The platforms this router uploads to itself, by name (youtube, tiktok).</summary>
    public IReadOnlyCollection<string> Connected => byName.Keys;

    public async Task<IReadOnlyList<PublishedVideo>> PublishAsync(PublishRequest request, CancellationToken cancellationToken, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var wanted = Enum.GetValues<Platforms>()
            .Where(p => p is Platforms.YouTube or Platforms.TikTok && request.Platforms.HasFlag(p))
            .ToList();
        var real = wanted.Where(p => byName.ContainsKey(Name(p))).ToList();
        if (real.Count == 0)
        {
            return await local.PublishAsync(request, cancellationToken, progress);
        }
        var offline = wanted.Except(real).Aggregate(Platforms.None, (all, p) => all | p);
        var parts = real.Count + (offline == Platforms.None ? 0 : 1);
        var published = new List<PublishedVideo>();
        var deferrals = new List<StageDeferredException>();
        for (var i = 0; i < real.Count; i++)
        {
            try
            {
                published.Add(await byName[Name(real[i])].PublishAsync(request, new Share(progress, i, parts), cancellationToken));
            }
            catch (StageDeferredException deferral)
            {
                deferrals.Add(deferral);
            }
            catch (ReconnectRequiredException reconnect) when (published.Count == 0)
            {
                // Nothing is up, and retrying cannot help until a person connects the account again: fail the row with the how.
                throw new PermanentStageException(reconnect.Message, reconnect);
            }
            catch (ReconnectRequiredException reconnect)
            {
                // Another platform is up already: keep it, and wait for the person (the redelivery reuses its stored upload).
                var until = clock.GetUtcNow() + reconnectRetry;
                deferrals.Add(new StageDeferredException(string.Create(CultureInfo.InvariantCulture,
                    $"{reconnect.Message}; {PlatformNames.Title(reconnect.Platform)} is tried again at {until.UtcDateTime:yyyy-MM-dd HH:mm} UTC, and every {reconnectRetry.TotalMinutes:0} min until it is connected (Publishing:ReconnectRetry)"),
                    until));
            }
        }
        if (offline != Platforms.None)
        {
            published.AddRange(await local.PublishAsync(request with { Platforms = offline }, cancellationToken, new Share(progress, parts - 1, parts)));
        }
        if (deferrals.Count > 0)
        {
            // The first window to open: the redelivery then publishes what it can and defers again what still waits.
            var first = deferrals.MinBy(d => d.Until)!;
            // What is up already is said too: the row shows no Published URL until every platform is done.
            var up = published.Where(p => p.Platform != "local").Select(p => $"{PlatformNames.Title(p.Platform)} is uploaded and stays up: {p.Url}");
            throw new StageDeferredException(string.Join("; ", deferrals.Select(d => d.Message).Concat(up)), first.Until);
        }
        progress?.Report(1);
        return published;
    }

    public async Task UnpublishAsync(Guid jobId, IReadOnlyList<PublishedVideo> videos, CancellationToken cancellationToken) =>
        await TakeDownAsync(jobId, null, videos, cancellationToken);

    public Task<IReadOnlyList<string>> TakeDownAsync(PaidWork work, IReadOnlyList<PublishedVideo> videos, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return TakeDownAsync(work.JobId, work, videos, cancellationToken);
    }

    /// <summary>Each video taken down by its platform's publisher; what none can take down becomes a sentence for the row.</summary>
    private async Task<IReadOnlyList<string>> TakeDownAsync(Guid jobId, PaidWork? work, IReadOnlyList<PublishedVideo> videos, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(videos);
        var byHand = new List<string>();
        var locals = videos.Where(v => v.Platform == "local").ToList();
        if (locals.Count > 0)
        {
            await local.UnpublishAsync(jobId, locals, cancellationToken);
        }
        foreach (var video in videos.Where(v => v.Platform != "local"))
        {
            if (byName.TryGetValue(video.Platform, out var publisher))
            {
                if (await publisher.UnpublishAsync(video, work, cancellationToken) is { } sentence)
                {
                    byHand.Add(sentence);
                }
            }
            else
            {
                byHand.Add($"remove by hand: {video.Url} ({video.Platform} is not connected here, so it cannot be taken down automatically)");
            }
        }
        return byHand;
    }

    private static string Name(Platforms platform) => platform.ToString().ToLowerInvariant();

    /// <summary>One platform's part of the whole upload's progress.</summary>
    private sealed class Share(IProgress<double>? whole, int index, int count) : IProgress<double>
    {
        public void Report(double value) => whole?.Report((index + Math.Clamp(value, 0, 1)) / count);
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ViralForge.Bot.Slack;

/// <summary>
/// The reviewer's name as people know it (users.info's real_name, else the profile's display name), for the decision
/// record: an interaction payload carries only the user's handle. Names are cached per user id for
/// Slack:UserNameCacheLifetime. Any failure (the app lacks users:read, a 429, a 5xx, a timeout, a body that is not
/// Slack's JSON) records the payload's handle instead, so a click never fails or waits past Slack's 3 s for a name.
/// </summary>
/// <remarks>
/// After a 429 no lookup is tried until its Retry-After has passed, after a refusal that only an admin can fix
/// (missing_scope and the like) none for the cache lifetime, and after any other failure (a 5xx, a timeout) none for
/// <see cref="FailureBackoff"/>: every click would otherwise pay for the same failure, a timeout's second included.
/// </remarks>
public sealed class SlackUserNames(IServiceProvider services, IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackUserNames> log)
{
    /// <summary>Refusals that repeat until someone changes the app's installation.</summary>
    private static readonly HashSet<string> ConfigurationErrors = new(StringComparer.Ordinal)
    {
        "missing_scope", "not_allowed_token_type", "invalid_auth", "not_authed", "account_inactive", "token_revoked", "no_permission",
    };

    /// <summary>How long lookups stop after a failure that names no wait of its own.</summary>
    public static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (string Name, DateTimeOffset Until)> names = new(StringComparer.Ordinal);
    private long pausedUntilTicks;

    /// <summary>The user's name, or <paramref name="fallback"/> (the payload's handle) when Slack cannot say.</summary>
    public async Task<string> NameAsync(string userId, string fallback, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (string.IsNullOrEmpty(userId))
        {
            return fallback;
        }
        if (names.TryGetValue(userId, out var cached) && cached.Until > now)
        {
            return cached.Name;
        }
        if (now.UtcTicks < Interlocked.Read(ref pausedUntilTicks))
        {
            return fallback;
        }

        var o = options.Value;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(o.UserLookupTimeout);
        try
        {
            var user = await services.GetRequiredService<SlackWebApiClient>().GetUserAsync(userId, deadline.Token);
            var name = FirstName(user.RealName, user.Profile?.RealName, user.Profile?.DisplayName);
            if (name is null)
            {
                return fallback;
            }
            names[userId] = (name, clock.GetUtcNow() + o.UserNameCacheLifetime);
            return name;
        }
        catch (SlackApiException ex)
        {
            if (ex.RetryAfter is { } wait)
            {
                Pause(wait);
            }
            else if (ConfigurationErrors.Contains(ex.Error))
            {
                log.UserLookupNotAllowed(ex.Error);
                Pause(o.UserNameCacheLifetime);
            }
            else
            {
                Pause(FailureBackoff);
            }
            log.UserLookupFailed(userId, ex.Message, fallback);
            return fallback;
        }
        catch (Exception ex) when (ex is TimeoutException or HttpRequestException or JsonException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            log.UserLookupFailed(userId, ex is OperationCanceledException ? $"no answer within Slack:UserLookupTimeout ({o.UserLookupTimeout.TotalSeconds:0.###} s)" : ex.Message, fallback);
            Pause(FailureBackoff);
            return fallback;
        }
    }

    /// <summary>Stops lookups until now + <paramref name="wait"/>, keeping a longer pause already set.</summary>
    private void Pause(TimeSpan wait)
    {
        var until = (clock.GetUtcNow() + wait).UtcTicks;
        long seen;
        do
        {
            seen = Interlocked.Read(ref pausedUntilTicks);
            if (seen >= until)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref pausedUntilTicks, until, seen) != seen);
    }

    private static string? FirstName(params string?[] candidates) =>
        candidates.Select(c => c?.Trim()).FirstOrDefault(c => !string.IsNullOrEmpty(c));
}

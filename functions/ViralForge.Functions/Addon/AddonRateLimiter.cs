using Microsoft.Extensions.Options;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions.Addon;

/// <summary>Each person's requests per minute (<see cref="AddonOptions.RequestsPerMinute"/>), by email (any case), in <see cref="PerCallerWindows"/>.</summary>
public sealed class AddonRateLimiter(IOptions<AddonOptions> options, TimeProvider time)
{
    private readonly PerCallerWindows windows = new(time, StringComparer.OrdinalIgnoreCase);

    /// <summary>Takes one request from the caller's allowance; when none is left, how long until the window ends.</summary>
    public bool TryAcquire(string caller, out TimeSpan retryAfter) => windows.TryAcquire(caller, options.Value.RequestsPerMinute, out retryAfter);
}

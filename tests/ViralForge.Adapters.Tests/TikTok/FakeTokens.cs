using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Tests.TikTok;

/// <summary>Tokens act.1, act.2, …: each Forget makes the next access a new token, as a refresh would.</summary>
internal sealed class FakeTokens : IPlatformTokens
{
    private static readonly PlatformAccount Account = new("tiktok", "open-id-1", "gardentips");
    private int generation = 1;

    public int Forgets { get; private set; }

    public Task<PlatformAccess> GetAccessAsync(string platform, string? channel, CancellationToken cancellationToken) =>
        Task.FromResult(new PlatformAccess(Account, $"act.{generation}"));

    public Task<IReadOnlyList<PlatformAccount>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PlatformAccount>>([Account]);

    public void Forget(PlatformAccess access)
    {
        Forgets++;
        generation++;
    }
}

namespace ViralForge.Core.Ports;

/// <summary>What moderation made of a script: flagged or not, and the categories it was flagged for (the vendor's names).</summary>
public sealed record ModerationVerdict(bool Flagged, IReadOnlyList<string> Categories)
{
    public static ModerationVerdict Clean { get; } = new(false, []);
}

/// <summary>
/// The brand-safety gate between the script and the voice: the script stage fails a job whose script is flagged. A
/// pass-through offline (the template writer only says what its templates say), OpenAI's moderation endpoint in
/// production.
/// </summary>
public interface IScriptModerator
{
    /// <summary>Moderates <paramref name="text"/>; a moderator that calls out reuses the ledger's answer for <paramref name="work"/> on a redelivery.</summary>
    Task<ModerationVerdict> ModerateAsync(string text, PaidWork? work, CancellationToken cancellationToken);
}

/// <summary>The offline moderator: passes everything, so the offline pipeline needs no account.</summary>
public sealed class PassThroughScriptModerator : IScriptModerator
{
    public Task<ModerationVerdict> ModerateAsync(string text, PaidWork? work, CancellationToken cancellationToken) =>
        Task.FromResult(ModerationVerdict.Clean);
}

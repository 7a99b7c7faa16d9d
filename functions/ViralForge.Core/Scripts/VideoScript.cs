namespace ViralForge.Core.Scripts;

/// <summary>One beat of the script: what is said, and a short caption for its visual card.</summary>
public sealed record ScriptBeat(string Narration, string CardText);

/// <summary>The script stage's output: what the narrator says, in order, and the publishing metadata.</summary>
/// <param name="WordsPerMinute">The speaking rate the length was fitted to.</param>
/// <param name="EstimatedSeconds">How long the narration takes at that rate, counted by <see cref="SpokenLength"/> (morae for Japanese, words otherwise).</param>
/// <param name="Notes">What of the row the writer did not honour (a language it cannot write), in sentences for the row's Error cell; empty or null when it did all.</param>
public sealed record VideoScript(
    string Title,
    string Hook,
    IReadOnlyList<ScriptBeat> Beats,
    string CallToAction,
    string Description,
    IReadOnlyList<string> Tags,
    double WordsPerMinute,
    double EstimatedSeconds,
    IReadOnlyList<string>? Notes = null)
{
    /// <summary>Hook, beats and call to action as one text, the way the voice reads it.</summary>
    public string NarrationText =>
        string.Join(" ", new[] { Hook }.Concat(Beats.Select(b => b.Narration)).Append(CallToAction));
}

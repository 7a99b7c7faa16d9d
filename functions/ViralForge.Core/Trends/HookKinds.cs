namespace ViralForge.Core.Trends;

/// <summary>The kinds of title openings <see cref="TrendAnalyzer"/> tells apart; the values of <see cref="HookPattern.Kind"/>.</summary>
public static class HookKinds
{
    /// <summary>"Why do cats ...?", "Is walking better ...?"</summary>
    public const string Question = "question";

    /// <summary>"5 foods ...", "Top 3 ...", "$10 meals ..."</summary>
    public const string Number = "number";

    /// <summary>"How to ..."</summary>
    public const string HowTo = "how-to";

    /// <summary>"POV: ..."</summary>
    public const string Pov = "pov";

    /// <summary>"Stop ...", "Don't ...", "Never ..."</summary>
    public const string Imperative = "imperative";

    /// <summary>"I tried ...", "My ...", "How I ..."</summary>
    public const string PersonalStory = "personal-story";

    /// <summary>"You ...", "Your ..."</summary>
    public const string SecondPerson = "second-person";

    /// <summary>"The secret ...", "Hidden ...", "Nobody tells you ..."</summary>
    public const string Secret = "secret";

    /// <summary>Anything else.</summary>
    public const string Other = "other";
}

using ViralForge.Testing;
using System.Text.RegularExpressions;

namespace ViralForge.Functions.Tests.Deploy;

/// <summary>
/// cloudbuild.yaml read with line scans (no YAML library in the repository): its steps by id, the substitutions it
/// declares and uses, and the repository paths it names.
/// </summary>
public sealed partial class CloudBuildFile
{
    /// <summary>What Cloud Build substitutes for every build (cloud.google.com/build/docs/configuring-builds/substitute-variable-values).</summary>
    public static readonly IReadOnlySet<string> BuiltInSubstitutions = new HashSet<string>(StringComparer.Ordinal) { "PROJECT_ID", "BUILD_ID", "PROJECT_NUMBER", "LOCATION" };

    private CloudBuildFile(string text)
    {
        Text = text.ReplaceLineEndings("\n");
        var lines = Text.Split('\n');
        Steps = ReadSteps(lines);
        Defaults = ReadDeclaredSubstitutions(lines);
    }

    public string Text { get; }

    /// <summary>Each step's lines, by its id.</summary>
    public IReadOnlyDictionary<string, string> Steps { get; }

    /// <summary>The user substitutions under "substitutions:" (with their leading underscore).</summary>
    public IReadOnlySet<string> Declared => Defaults.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Each user substitution's default value (quotes removed, '' is empty).</summary>
    public IReadOnlyDictionary<string, string> Defaults { get; }

    public static CloudBuildFile Load() => new(File.ReadAllText(RepositoryRoot.File("cloudbuild.yaml")));

    /// <summary>The text without comments, so that what the tests find is what Cloud Build runs.</summary>
    public string Code => string.Join('\n', Text.Split('\n').Select(l => CommentLine().IsMatch(l) ? "" : l));

    /// <summary>Every $NAME and ${NAME} Cloud Build will substitute ($$ is a literal dollar for bash, so not one).</summary>
    public IReadOnlySet<string> UsedSubstitutions() =>
        Dollar().Matches(Code).Where(m => m.Value != "$$").Select(m => m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["bare"].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>Repository paths named anywhere in the file, comments included (a comment that names a missing file misleads too).</summary>
    public IReadOnlySet<string> RepositoryPaths() =>
        RepositoryPath().Matches(Text).Select(m => m.Groups["path"].Value.TrimEnd('.', ',', ')')).ToHashSet(StringComparer.Ordinal);

    /// <summary>The words after each "<paramref name="function"/> " call at the start of a line in a step's script.</summary>
    public static IReadOnlyList<string> Calls(string step, string function) =>
        [.. Regex.Matches(step, $@"^\s*{Regex.Escape(function)} (\S+)\s*$", RegexOptions.Multiline).Select(m => m.Groups[1].Value)];

    /// <summary>The arguments of each call of a shell function in a step, one list per call line.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> CallArguments(string step, string function) =>
        [.. Regex.Matches(step, $@"^\s*{Regex.Escape(function)}((?: \S+)+)\s*$", RegexOptions.Multiline)
            .Select(m => (IReadOnlyList<string>)m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))];

    /// <summary>The values of every "--flag=value" in a step.</summary>
    public static IReadOnlyList<string> FlagValues(string step, string flag) =>
        [.. Regex.Matches(step, $@"(?<![\w-]){Regex.Escape(flag)}=([^\s,""\)]+)").Select(m => m.Groups[1].Value)];

    /// <summary>The value of one NAME=value entry of an --set-env-vars list in a step (each entry ends at a comma or quote).</summary>
    public static IReadOnlyList<string> EnvValues(string step, string name) =>
        [.. Regex.Matches(step, $@"(?<=[=,""]){Regex.Escape(name)}=([^,""\s]+)").Select(m => m.Groups[1].Value)];

    /// <summary>
    /// One shell command of a step, its backslash-continued lines joined: the first line whose text starts with
    /// <paramref name="start"/>, and the lines it continues onto.
    /// </summary>
    public static string Command(string step, string start)
    {
        var lines = step.Split('\n');
        var first = Array.FindIndex(lines, l => l.TrimStart().StartsWith(start, StringComparison.Ordinal));
        if (first < 0)
        {
            throw new InvalidOperationException($"no command starting '{start}' in the step");
        }
        var command = new List<string>();
        for (var i = first; i < lines.Length; i++)
        {
            command.Add(lines[i].Trim().TrimEnd('\\').TrimEnd());
            if (!lines[i].TrimEnd().EndsWith('\\'))
            {
                break;
            }
        }
        return string.Join(' ', command);
    }

    /// <summary>The body of the bash function <paramref name="name"/> in a step: the lines between "name() {" and its "}".</summary>
    public static string Function(string step, string name)
    {
        var lines = step.Split('\n');
        var first = Array.FindIndex(lines, l => l.Trim() == $"{name}() {{");
        if (first < 0)
        {
            throw new InvalidOperationException($"no function {name} in the step");
        }
        var indent = lines[first].Length - lines[first].TrimStart().Length;
        var last = Array.FindIndex(lines, first + 1, l => l.Trim() == "}" && l.Length - l.TrimStart().Length == indent);
        return string.Join('\n', lines[(first + 1)..last]);
    }

    /// <summary>The value of every --flag="value" in a text (a quoted value may hold commas).</summary>
    public static IReadOnlyList<string> QuotedFlagValues(string text, string flag) =>
        [.. Regex.Matches(text, $@"(?<![\w-]){Regex.Escape(flag)}=""([^""]*)""").Select(m => m.Groups[1].Value)];

    private static Dictionary<string, string> ReadSteps(string[] lines)
    {
        var steps = new Dictionary<string, string>(StringComparer.Ordinal);
        string? id = null;
        var body = new List<string>();
        foreach (var line in lines)
        {
            var start = StepStart().Match(line);
            if (start.Success || (id is not null && line.Length > 0 && !char.IsWhiteSpace(line[0]) && !line.StartsWith('#')))
            {
                if (id is not null)
                {
                    steps.Add(id, string.Join('\n', body));
                }
                id = start.Success ? start.Groups[1].Value : null;
                body.Clear();
            }
            if (id is not null)
            {
                body.Add(line);
            }
        }
        if (id is not null)
        {
            steps.Add(id, string.Join('\n', body));
        }
        return steps;
    }

    private static Dictionary<string, string> ReadDeclaredSubstitutions(string[] lines) =>
        lines.SkipWhile(l => l != "substitutions:").Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal) || l.Length == 0)
            .Select(l => Declaration().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim().Trim('\''), StringComparer.Ordinal);

    [GeneratedRegex(@"^  - id: ([\w-]+)\s*$")]
    private static partial Regex StepStart();

    [GeneratedRegex(@"^  (_[A-Z0-9_]+):\s*((?:'[^']*'|[^#\s]*))")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"^\s*#")]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"\$\$|\$\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)\}|\$(?<bare>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Dollar();

    [GeneratedRegex(@"(?<![\w/.$-])(?<path>(?:\./[\w.-]+)|(?:(?:functions|sql|tests|eng|docs|bot|addon)/[\w./-]+)|(?:[\w-]+\.(?:yaml|md|sln)))")]
    private static partial Regex RepositoryPath();
}

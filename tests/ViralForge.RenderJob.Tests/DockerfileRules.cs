using System.Text.Json;
using System.Text.RegularExpressions;

namespace ViralForge.RenderJob.Tests;

/// <summary>
/// The house rules for Dockerfiles that a syntax linter does not check: pinned base images, a non-root
/// final stage, lean apt layers, and COPY sources that exist in the build context (the repository root).
/// </summary>
public static partial class DockerfileRules
{
    /// <summary>Folders that hold build output, tools or local state (the same list as eng/lint-dockerfiles).</summary>
    private static readonly HashSet<string> Skipped = [".git", ".vf", "bin", "obj", "node_modules", "TestResults"];

    /// <summary>One instruction, continuation lines joined, with the line it starts on.</summary>
    public sealed record Instruction(int Line, string Keyword, string Arguments);

    /// <summary>Every Dockerfile under the root, as repository-relative paths with forward slashes.</summary>
    public static IReadOnlyList<string> Find(string root)
    {
        var found = new List<string>();
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var child in Directory.EnumerateDirectories(folder).Where(d => !Skipped.Contains(Path.GetFileName(d))))
            {
                pending.Push(child);
            }
            found.AddRange(Directory.EnumerateFiles(folder)
                .Where(f => Path.GetFileName(f) is var name && (name == "Dockerfile" || name.StartsWith("Dockerfile.", StringComparison.Ordinal) || name.EndsWith(".Dockerfile", StringComparison.Ordinal)))
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')));
        }
        return [.. found.Order(StringComparer.Ordinal)];
    }

    /// <summary>Splits a Dockerfile into instructions (comments dropped, backslash continuations joined).</summary>
    public static IReadOnlyList<Instruction> Parse(string text)
    {
        var instructions = new List<Instruction>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var start = i + 1;
            var joined = line;
            while (joined.EndsWith('\\') && i + 1 < lines.Length)
            {
                joined = joined[..^1];
                var next = lines[++i].Trim();
                // Comment lines inside a continued instruction are dropped by Docker too.
                joined += next.StartsWith('#') ? "\\" : " " + next;
            }
            var space = joined.IndexOfAny([' ', '\t']);
            instructions.Add(space < 0
                ? new Instruction(start, joined.ToUpperInvariant(), "")
                : new Instruction(start, joined[..space].ToUpperInvariant(), joined[(space + 1)..].Trim()));
        }
        return instructions;
    }

    /// <summary>Every rule broken, one sentence each starting with the line number; empty when all hold.</summary>
    /// <param name="contextRoot">The build context the COPY sources are relative to.</param>
    public static IReadOnlyList<string> Check(string text, string contextRoot)
    {
        var problems = new List<string>();
        var instructions = Parse(text);
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var lastFrom = -1;
        for (var n = 0; n < instructions.Count; n++)
        {
            var instruction = instructions[n];
            switch (instruction.Keyword)
            {
                case "FROM":
                    lastFrom = n;
                    CheckFrom(instruction, stages, problems);
                    break;
                case "RUN":
                    CheckAptGet(instruction, problems);
                    break;
                case "COPY" or "ADD":
                    CheckSources(instruction, contextRoot, problems);
                    break;
            }
        }
        if (lastFrom < 0)
        {
            problems.Add("no FROM instruction");
            return problems;
        }
        CheckFinalUser(instructions.Skip(lastFrom).Where(i => i.Keyword == "USER").LastOrDefault(), problems);
        return problems;
    }

    private static void CheckFrom(Instruction from, HashSet<string> stages, List<string> problems)
    {
        var words = Words(from.Arguments).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (words.Count == 0)
        {
            return; // the linter reports a FROM without an image
        }
        var image = words[0];
        var earlierStage = stages.Contains(image) || image == "scratch"; // a stage of this file, or the empty image
        if (words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
        {
            stages.Add(words[2]);
        }
        if (earlierStage)
        {
            return;
        }
        if (image.Contains('$', StringComparison.Ordinal))
        {
            problems.Add($"line {from.Line}: FROM {image} names its image through a variable; pin the image literally");
            return;
        }
        var name = image.Split('@')[0];
        var colon = name.LastIndexOf(':');
        var tag = colon > name.LastIndexOf('/') ? name[(colon + 1)..] : null;
        if (tag is null && !image.Contains('@', StringComparison.Ordinal))
        {
            problems.Add($"line {from.Line}: FROM {image} has no tag; pin a version tag (not latest)");
        }
        else if (tag == "latest")
        {
            problems.Add($"line {from.Line}: FROM {image} uses latest; pin a version tag");
        }
    }

    private static void CheckAptGet(Instruction run, List<string> problems)
    {
        var text = run.Arguments;
        var installs = AptGet().Matches(text).Any(m => m.Groups["verb"].Value == "install");
        if (installs && !text.Contains("--no-install-recommends", StringComparison.Ordinal))
        {
            problems.Add($"line {run.Line}: apt-get install without --no-install-recommends");
        }
        if (AptGet().IsMatch(text) && !text.Contains("rm -rf /var/lib/apt/lists/*", StringComparison.Ordinal))
        {
            problems.Add($"line {run.Line}: apt-get without rm -rf /var/lib/apt/lists/* in the same RUN (the package lists stay in the layer)");
        }
    }

    private static void CheckSources(Instruction copy, string contextRoot, List<string> problems)
    {
        var arguments = copy.Arguments;
        var flags = new List<string>();
        while (arguments.StartsWith("--", StringComparison.Ordinal))
        {
            var end = arguments.IndexOf(' ', StringComparison.Ordinal);
            flags.Add(end < 0 ? arguments : arguments[..end]);
            arguments = end < 0 ? "" : arguments[(end + 1)..].TrimStart();
        }
        if (flags.Any(f => f.StartsWith("--from=", StringComparison.Ordinal)) || arguments.StartsWith("<<", StringComparison.Ordinal))
        {
            return; // from another stage or image, or a heredoc: nothing in the context to look for
        }
        var paths = arguments.StartsWith('[')
            ? JsonSerializer.Deserialize<List<string>>(arguments) ?? []
            : Words(arguments);
        foreach (var source in paths.SkipLast(1))
        {
            if (copy.Keyword == "ADD" && (source.Contains("://", StringComparison.Ordinal) || source.StartsWith("git@", StringComparison.Ordinal)))
            {
                continue;
            }
            if (!SourceExists(contextRoot, source))
            {
                problems.Add($"line {copy.Line}: {copy.Keyword} source {source} does not exist in the build context");
            }
        }
    }

    private static bool SourceExists(string contextRoot, string source)
    {
        var relative = source.TrimStart('/').TrimEnd('/');
        if (relative is "" or ".")
        {
            return true;
        }
        var folder = Path.GetDirectoryName(relative) ?? "";
        var last = Path.GetFileName(relative);
        var parent = Path.Combine(contextRoot, folder);
        if (last.IndexOfAny(['*', '?', '[']) >= 0)
        {
            return Directory.Exists(parent) && Directory.EnumerateFileSystemEntries(parent, last).Any();
        }
        var full = Path.Combine(contextRoot, relative);
        return File.Exists(full) || Directory.Exists(full);
    }

    private static void CheckFinalUser(Instruction? user, List<string> problems)
    {
        if (user is null)
        {
            problems.Add("the final stage runs as root: add a USER that is not root");
            return;
        }
        var name = user.Arguments.Split(':')[0].Trim();
        if (name is "root" or "0")
        {
            problems.Add($"line {user.Line}: the final stage's USER is {name}; run as a user that is not root");
        }
        else if (name.Contains('$', StringComparison.Ordinal) && name is not ("$APP_UID" or "${APP_UID}"))
        {
            // The .NET images define APP_UID as their unprivileged 'app' user (1654); any other variable cannot be checked here.
            problems.Add($"line {user.Line}: USER {name} cannot be checked; use a literal non-root user or $APP_UID");
        }
    }

    private static List<string> Words(string text) =>
        [.. text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)];

    [GeneratedRegex(@"\bapt-get\s+(?:-\S+\s+)*(?<verb>update|install|upgrade|dist-upgrade)\b")]
    private static partial Regex AptGet();
}

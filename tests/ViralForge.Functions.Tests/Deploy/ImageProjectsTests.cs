using ViralForge.Testing;
using System.Text.Json;
using System.Xml.Linq;

namespace ViralForge.Functions.Tests.Deploy;

/// <summary>
/// Each image cloudbuild.yaml builds, against the projects it compiles: every project the entry project references
/// (transitively) is copied for the restore and again for the publish, the files they embed from outside their own
/// folder are copied too, and the image starts the entry project's assembly. A project reference added later without
/// a COPY would otherwise fail only in Cloud Build.
/// </summary>
public sealed class ImageProjectsTests
{
    public static TheoryData<string, string> Images => new()
    {
        { "functions/ViralForge.Functions/Dockerfile", "functions/ViralForge.Functions/ViralForge.Functions.csproj" },
        { "functions/ViralForge.RenderJob/Dockerfile", "functions/ViralForge.RenderJob/ViralForge.RenderJob.csproj" },
        { "bot/ViralForge.Bot/Dockerfile", "bot/ViralForge.Bot/ViralForge.Bot.csproj" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void The_image_restores_and_publishes_its_project_with_every_project_it_references(string dockerfile, string project)
    {
        var instructions = Instructions(dockerfile);
        var restore = instructions.FindIndex(i => i == $"RUN dotnet restore {project}");
        var publish = instructions.FindIndex(i => i.StartsWith($"RUN dotnet publish {project} ", StringComparison.Ordinal));
        Assert.True(restore >= 0, $"{dockerfile} does not restore {project}");
        Assert.True(publish > restore, $"{dockerfile} does not publish {project} after restoring it");

        foreach (var reference in Closure(project))
        {
            var folder = reference[..(reference.LastIndexOf('/') + 1)];
            Assert.Contains($"COPY {reference} {folder}", instructions[..restore]);
            Assert.Contains($"COPY {folder} {folder}", instructions[restore..publish]);
            foreach (var embedded in EmbeddedFolders(reference))
            {
                Assert.Contains($"COPY {embedded} {embedded}", instructions[..publish]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void The_image_starts_its_project_s_assembly(string dockerfile, string project)
    {
        var entrypoint = Instructions(dockerfile).Last(i => i.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));

        Assert.Equal(["dotnet", $"{AssemblyName(project)}.dll"], JsonSerializer.Deserialize<string[]>(entrypoint["ENTRYPOINT ".Length..])!);
    }

    [Fact]
    public void The_bot_image_builds_from_the_bot_and_every_functions_project_it_hosts()
    {
        Assert.Equal(
            [
                "bot/ViralForge.Bot/ViralForge.Bot.csproj",
                "functions/ViralForge.Adapters/ViralForge.Adapters.csproj",
                "functions/ViralForge.Core/ViralForge.Core.csproj",
                "functions/ViralForge.Functions/ViralForge.Functions.csproj",
                "functions/ViralForge.Render/ViralForge.Render.csproj",
                "functions/ViralForge.ServiceDefaults/ViralForge.ServiceDefaults.csproj",
            ],
            Closure("bot/ViralForge.Bot/ViralForge.Bot.csproj").Order(StringComparer.Ordinal));
        Assert.Equal("viralforge-bot", AssemblyName("bot/ViralForge.Bot/ViralForge.Bot.csproj"));
    }

    /// <summary>The Dockerfile's instructions, comments dropped and continuation lines joined.</summary>
    private static List<string> Instructions(string dockerfile)
    {
        var instructions = new List<string>();
        var current = "";
        foreach (var line in File.ReadAllLines(RepositoryRoot.File(dockerfile)).Select(l => l.Trim()))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            current = current.Length == 0 ? line.TrimEnd('\\').Trim() : $"{current} {line.TrimEnd('\\').Trim()}";
            if (!line.EndsWith('\\'))
            {
                instructions.Add(current);
                current = "";
            }
        }
        return instructions;
    }

    /// <summary>The project and every project it references, directly or not, as repository paths.</summary>
    private static HashSet<string> Closure(string project)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!found.Add(next))
            {
                continue;
            }
            foreach (var include in Items(next, "ProjectReference"))
            {
                pending.Push(Relative(next, include));
            }
        }
        return found;
    }

    /// <summary>The folders of the files a project embeds from outside its own folder (the SQL migrations).</summary>
    private static IEnumerable<string> EmbeddedFolders(string project) =>
        Items(project, "EmbeddedResource")
            .Where(include => include.StartsWith("../", StringComparison.Ordinal))
            .Select(include => Relative(project, include))
            .Select(path => path[..(path.LastIndexOf('/') + 1)]);

    private static IEnumerable<string> Items(string project, string item) =>
        XDocument.Load(RepositoryRoot.File(project)).Descendants(item)
            .Select(e => e.Attribute("Include")?.Value).OfType<string>().Select(v => v.Replace('\\', '/'));

    private static string AssemblyName(string project) =>
        XDocument.Load(RepositoryRoot.File(project)).Descendants("AssemblyName").Select(e => e.Value).SingleOrDefault()
        ?? Path.GetFileNameWithoutExtension(project);

    /// <summary>A path relative to a project file, as a path from the repository root with forward slashes.</summary>
    private static string Relative(string project, string include)
    {
        var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RepositoryRoot.File(project))!, include));
        return Path.GetRelativePath(RepositoryRoot.Path, full).Replace('\\', '/');
    }
}

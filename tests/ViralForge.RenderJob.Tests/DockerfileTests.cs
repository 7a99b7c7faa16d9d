using System.Diagnostics;
using System.Text.Json;
using ViralForge.RenderJob;
using ViralForge.Testing;

namespace ViralForge.RenderJob.Tests;

/// <summary>
/// Every Dockerfile in the repository, checked without a Docker engine: dockerfile-utils (eng/lint-dockerfiles)
/// for what `docker build` would refuse, and <see cref="DockerfileRules"/> for the house rules.
/// </summary>
public sealed class DockerfileTests
{
    private const string RenderJobDockerfile = "functions/ViralForge.RenderJob/Dockerfile";

    private static readonly string Root = RepositoryRoot.Path;
    private static readonly NodeTool Linter = new("lint-dockerfiles", "dockerfile-utils");

    [Fact]
    public async Task Every_Dockerfile_passes_the_linter()
    {
        var (exitCode, output) = await LintAsync();

        Assert.True(exitCode == 0, $"lint-dockerfiles exited {exitCode}:\n{output}");
        Assert.Contains(", 0 problem(s)", output);
    }

    [Fact]
    public async Task The_linter_reports_what_docker_build_would_refuse()
    {
        using var folder = new TempFolder();
        var broken = folder.File("Dockerfile");
        await File.WriteAllTextAsync(broken, "FROM mcr.microsoft.com/dotnet/runtime:10.0\nEXPOSE notaport\nworkdir app\n");

        var (exitCode, output) = await LintAsync(broken);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{broken}:2:8: error: Invalid containerPort: notaport", output);
        Assert.Contains($"{broken}:3:1: error: Instructions should be written in uppercase letters", output);
        Assert.Contains($"{broken}:3:9: error: WORKDIR paths should be absolute", output);
        Assert.Contains("1 Dockerfile(s) checked, 3 problem(s)", output);
    }

    [Fact]
    public void Every_Dockerfile_keeps_the_house_rules()
    {
        var dockerfiles = DockerfileRules.Find(Root);

        Assert.Contains(RenderJobDockerfile, dockerfiles);
        Assert.All(dockerfiles, path =>
        {
            var problems = DockerfileRules.Check(File.ReadAllText(Path.Combine(Root, path)), Root);
            Assert.True(problems.Count == 0, $"{path}:\n{string.Join("\n", problems)}");
        });
    }

    [Fact]
    public void The_house_rules_catch_the_usual_mistakes()
    {
        const string dockerfile = """
            FROM mcr.microsoft.com/dotnet/sdk AS build
            COPY functions/ViralForge.Core/ViralForge.Core.csproj functions/no-such-project.csproj ./
            FROM build AS again
            FROM mcr.microsoft.com/dotnet/runtime:latest
            RUN apt-get update && apt-get install -y ffmpeg
            RUN apt-get -q update \
                # a comment inside a continued RUN
                && apt-get install -y --no-install-recommends fontconfig \
                && rm -rf /var/lib/apt/lists/*
            FROM ${BASE}
            COPY --from=build /app ./
            USER root
            """;

        var problems = DockerfileRules.Check(dockerfile, Root);

        Assert.Equal(
            [
                "line 1: FROM mcr.microsoft.com/dotnet/sdk has no tag; pin a version tag (not latest)",
                "line 2: COPY source functions/no-such-project.csproj does not exist in the build context",
                "line 4: FROM mcr.microsoft.com/dotnet/runtime:latest uses latest; pin a version tag",
                "line 5: apt-get install without --no-install-recommends",
                "line 5: apt-get without rm -rf /var/lib/apt/lists/* in the same RUN (the package lists stay in the layer)",
                "line 10: FROM ${BASE} names its image through a variable; pin the image literally",
                "line 12: the final stage's USER is root; run as a user that is not root",
            ],
            problems);
    }

    [Fact]
    public void A_final_stage_without_USER_runs_as_root()
    {
        var problems = DockerfileRules.Check("FROM debian:bookworm-slim AS build\nUSER nobody\nFROM debian:bookworm-slim@sha256:0123\n", Root);

        Assert.Equal(["the final stage runs as root: add a USER that is not root"], problems);
    }

    [Fact]
    public void The_render_job_image_starts_the_render_job_assembly()
    {
        var instructions = DockerfileRules.Parse(File.ReadAllText(Path.Combine(Root, RenderJobDockerfile)));

        var entrypoint = instructions.Single(i => i.Keyword == "ENTRYPOINT");
        Assert.Equal(["dotnet", $"{typeof(RenderJobEntry).Assembly.GetName().Name}.dll"], JsonSerializer.Deserialize<string[]>(entrypoint.Arguments)!);
        var install = instructions.Single(i => i.Keyword == "RUN" && i.Arguments.Contains("apt-get install", StringComparison.Ordinal));
        Assert.Contains(" ffmpeg ", install.Arguments);
        Assert.Contains(" fonts-dejavu-core ", install.Arguments); // the default caption font (Media:FontFile)
    }

    /// <summary>Runs eng/lint-dockerfiles over every Dockerfile, or the files given.</summary>
    private static Task<(int ExitCode, string Output)> LintAsync(params string[] files) => Linter.RunAsync("lint-dockerfiles.js", files);
}

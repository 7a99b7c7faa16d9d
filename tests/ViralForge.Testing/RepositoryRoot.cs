namespace ViralForge.Testing;

/// <summary>The checkout the tests run from: the folder holding ViralForge.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(string relative) => System.IO.Path.Combine(Path, relative);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(folder.FullName, "ViralForge.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"ViralForge.sln not found above {AppContext.BaseDirectory}");
    }
}

namespace ViralForge.Testing.Media;

/// <summary>A fresh temporary folder for one test, removed when the test disposes it.</summary>
public sealed class ScratchFolder : IDisposable
{
    public ScratchFolder(string name = "scratch")
    {
        FullPath = Path.Combine(Path.GetTempPath(), "viralforge-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(FullPath);
    }

    public string FullPath { get; }

    /// <summary>A path inside the folder (the file is not created).</summary>
    public string File(string name) => Path.Combine(FullPath, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(FullPath, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow runner; the temp folder is cleaned eventually anyway.
        }
    }
}

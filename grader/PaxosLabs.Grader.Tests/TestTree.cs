using System.Text;

namespace PaxosLabs.Grader.Tests;

/// <summary>A throw-away kit repository in the temp folder, so tests that write never touch the real one.</summary>
internal sealed class TestTree : IDisposable
{
    public TestTree()
    {
        Root = Path.Combine(Path.GetTempPath(), "paxoslabs-grader-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "solutions"));
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />\n");
    }

    public string Root { get; }

    public string Solutions => Path.Combine(Root, "solutions");

    public string Skeletons => Path.Combine(Root, "skeletons");

    public void Write(string relativeToRoot, string text) => WriteBytes(relativeToRoot, Encoding.UTF8.GetBytes(text));

    public void WriteBytes(string relativeToRoot, byte[] bytes)
    {
        var path = Path.Combine(Root, relativeToRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    public string Read(string relativeToRoot) => File.ReadAllText(Path.Combine(Root, relativeToRoot));

    public bool Exists(string relativeToRoot) => File.Exists(Path.Combine(Root, relativeToRoot));

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>Joins lines with "\n" and ends with one, the way the kit's files are written.</summary>
    public static string Lines(params string[] lines) => string.Join('\n', lines) + "\n";
}

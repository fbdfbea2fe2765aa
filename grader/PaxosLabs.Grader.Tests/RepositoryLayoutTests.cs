using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PaxosLabs.Grader.Tests;

/// <summary>
/// Checks the real repository's layout (read-only): the README's tree table names every top-level
/// folder, and grader/ holds only what grades.
/// </summary>
public sealed partial class RepositoryLayoutTests
{
    private static readonly string Root = KitRoot.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"no kit root above {AppContext.BaseDirectory}");

    [Fact]
    public void The_readme_tree_table_lists_every_top_level_folder()
    {
        var listed = TreeRow().Matches(File.ReadAllText(Path.Combine(Root, "README.md"))).Select(m => m.Groups["folder"].Value).ToHashSet(StringComparer.Ordinal);
        var ignored = File.ReadAllLines(Path.Combine(Root, ".gitignore")).Select(l => l.Trim().TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
        var folders = Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>()
            .Where(f => !f.StartsWith('.') && !ignored.Contains(f))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(listed);
        var missing = folders.Where(f => !listed.Contains(f)).ToList();
        Assert.True(missing.Count == 0, $"README.md's tree table (rows | `folder/` | what |) lacks {string.Join(", ", missing.Select(f => f + "/"))}");
        var gone = listed.Where(f => !folders.Contains(f)).ToList();
        Assert.True(gone.Count == 0, $"README.md's tree table lists {string.Join(", ", gone.Select(f => f + "/"))}, which the repository does not have");
    }

    [Fact]
    public void Every_project_under_grader_grades_or_tests_the_kit()
    {
        // What grades: the grader, the hidden tests and what they reference; besides them, the kit's own tests.
        var projects = Directory.EnumerateFiles(Path.Combine(Root, "grader"), "*.csproj", SearchOption.AllDirectories).ToList();
        var graders = projects.Where(p => Path.GetFileNameWithoutExtension(p) is "PaxosLabs.Grader" or "PaxosLabs.HiddenTests" || IsTestProject(p)).ToList();
        var referenced = graders.SelectMany(References).ToHashSet(StringComparer.Ordinal);

        var strays = projects.Except(graders).Where(p => !referenced.Contains(Path.GetFileName(p)))
            .Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/'))
            .ToList();
        Assert.True(strays.Count == 0, $"grader/ holds only what grades (the grader, the hidden tests and what they reference) and the kit's tests; move {string.Join(", ", strays)} to a folder of its own (as bench/ holds the benchmarks)");
    }

    private static bool IsTestProject(string project) =>
        XDocument.Load(project).Descendants("IsTestProject").Any(e => string.Equals(e.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>The file names of the projects a project references.</summary>
    private static IEnumerable<string> References(string project) =>
        XDocument.Load(project).Descendants("ProjectReference")
            .Select(e => (string?)e.Attribute("Include"))
            .OfType<string>()
            .Select(include => include.Replace('\\', '/').Split('/')[^1]);

    [GeneratedRegex(@"^\| `(?<folder>[^`/]+)/` \|", RegexOptions.Multiline)]
    private static partial Regex TreeRow();
}

using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Tests;

/// <summary>
/// Checks the real repository (read-only): skeletons/ is what solutions/ generates, it leaks no
/// solution code, and students have something to edit.
/// </summary>
public class RepositorySkeletonTests
{
    private static readonly string Root = KitRoot.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"no kit root above {AppContext.BaseDirectory}");

    [Fact]
    public void Skeletons_are_up_to_date()
    {
        var differences = SkeletonGenerator.Check(Root);

        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
    }

    [Fact]
    public void Skeletons_leak_no_solution_code()
    {
        var leaks = new List<Leak>();
        foreach (var file in SkeletonGenerator.Generate(Root).Where(f => f.IsTransformed))
        {
            var skeletonPath = Path.Combine(Root, SkeletonGenerator.SkeletonsFolder, file.RelativePath);
            if (File.Exists(skeletonPath))
            {
                leaks.AddRange(LeakCheck.Find(file.Source!, File.ReadAllText(skeletonPath)));
            }
        }

        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }

    [Fact]
    public void Some_files_are_editable() => Assert.NotEmpty(SkeletonGenerator.EditableFiles(Root));
}

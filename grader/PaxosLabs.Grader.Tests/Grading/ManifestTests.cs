using System.Text.RegularExpressions;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Skeletons;
using PaxosLabs.Grader.Tests.Grading.Samples;

namespace PaxosLabs.Grader.Tests.Grading;

public class ManifestTests
{
    private const string Samples = "PaxosLabs.Grader.Tests.Grading.Samples.";

    [Fact]
    public void Graded_facts_and_theories_become_entries_sorted_by_task()
    {
        var manifest = Manifest.FromTypes([typeof(Derived), typeof(GoodTests), typeof(AbstractBase)]);

        Assert.Equal(
            [
                new ManifestTest(Samples + "GoodTests.A_fact", new TaskId(1, 2), 3, null), // no visibility named: --visibility decides
                new ManifestTest(Samples + "GoodTests.An_inline_theory", new TaskId(1, 10), 2, "Visible", Cases: 2, IsTheory: true),
                new ManifestTest(Samples + "GoodTests.A_member_data_theory", new TaskId(2, 1), 1, "Hidden", IsTheory: true),
                new ManifestTest(Samples + "GoodTests.Explicitly_after_published", new TaskId(2, 2), 1, "AfterPublished"),
                new ManifestTest(Samples + "Derived.Inherited", new TaskId(3, 1), 4, null), // named after the class that runs it
            ],
            manifest.Tests);
        Assert.Equal([1, 2, 3], manifest.Stages);
        Assert.Equal(11, manifest.MaxPoints);
    }

    [Fact]
    public void A_test_without_Graded_is_an_error_of_the_kit()
    {
        var error = Assert.Throws<ManifestException>(() => Manifest.FromTypes([typeof(GoodTests), typeof(UngradedTests)]));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith(Samples + "UngradedTests.Forgot_the_points: a hidden test without [Graded", problem, StringComparison.Ordinal);
        Assert.IsAssignableFrom<GraderException>(error);
    }

    [Fact]
    public void Every_grading_mistake_is_reported_at_once()
    {
        var error = Assert.Throws<ManifestException>(() => Manifest.FromTypes([typeof(BadlyGradedTests)]));

        var prefix = Samples + "BadlyGradedTests.";
        Assert.Equal(4, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith(prefix + "Graded_but_not_a_test: has [Graded] but is not an xunit [Fact] or [Theory]", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith(prefix + "No_points: [Graded(\"1.1\", 0)]: points must be positive", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith(prefix + "Renamed: a graded test must not set DisplayName", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith(prefix + "Task_without_a_number: [Graded(\"1\", …)]: the task must be N.k", StringComparison.Ordinal));
        Assert.StartsWith("the hidden tests are not graded correctly (4 problem(s)):", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_assembly_is_an_error_not_a_crash()
    {
        var error = Assert.Throws<GraderException>(() => Manifest.Read(Path.Combine(Path.GetTempPath(), "no-such-dir", "Nothing.dll")));

        Assert.Contains("no such test assembly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_an_error_not_a_crash()
    {
        using var tree = new TestTree();
        tree.Write("Broken.dll", "not an assembly");

        var error = Assert.Throws<GraderException>(() => Manifest.Read(Path.Combine(tree.Root, "Broken.dll")));

        Assert.Contains("Broken.dll: cannot read the tests", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>The manifest of the real hidden tests, built against the solutions.</summary>
[Collection(HiddenTestsCollection.Name)]
public partial class HiddenTestsManifestTests
{
    [Fact]
    public void Every_stage_1_hidden_test_is_in_the_manifest_with_points()
    {
        var manifest = Manifest.Read(KitRepository.SolutionsHiddenTests());

        var stage1 = manifest.Tests.Where(t => t.Stage == 1).ToList();
        Assert.Equal(TestMethodsInSource("Stage1").Order(StringComparer.Ordinal), stage1.Select(t => t.Name.Split('.')[^1]).Order(StringComparer.Ordinal));
        Assert.All(stage1, t =>
        {
            Assert.StartsWith("PaxosLabs.HiddenTests.Stage1.", t.Name, StringComparison.Ordinal);
            Assert.True(t.Points > 0, $"{t.Name} has {t.Points} points");
        });
        Assert.Equal(new ManifestTest("PaxosLabs.HiddenTests.Stage1.StorageQFTests.ReadQF_is_not_done_below_a_quorum", new TaskId(1, 4), 2, null, Cases: 5, IsTheory: true), stage1.Single(t => t.Name.EndsWith(".ReadQF_is_not_done_below_a_quorum", StringComparison.Ordinal)));
        Assert.All(manifest.Tests, t => Assert.True(t.Points > 0, $"{t.Name} has {t.Points} points"));
    }

    [Fact]
    public void Every_hidden_test_has_points_and_names_a_task_that_exists_in_the_solutions()
    {
        var manifest = Manifest.Read(KitRepository.SolutionsHiddenTests());
        var tasks = SkeletonGenerator.Tasks(KitRepository.Root).Select(t => t.Id).ToHashSet();

        Assert.NotEmpty(manifest.Tests);
        var unknown = manifest.Tests.Where(t => !tasks.Contains(t.Task)).Select(t => $"{t.Name} names task {t.Task}").ToList();
        Assert.True(unknown.Count == 0, "Hidden tests must name a task marked TODO(N.k) in solutions/; these do not: " + string.Join("; ", unknown));
        Assert.All(manifest.Tests, t => Assert.True(t.Points > 0, $"{t.Name} has {t.Points} points"));
    }

    [Fact]
    public void The_points_in_every_assignment_text_and_docs_example_are_the_grader_points()
    {
        var problems = PublishedPoints.Check(KitRepository.Root, Manifest.Read(KitRepository.SolutionsHiddenTests()));

        Assert.True(problems.Count == 0, "The published points disagree with the hidden tests' [Graded] points; change the texts (the grader decides):\n" + string.Join('\n', problems));
    }

    /// <summary>The names of the methods marked [Fact] or [Theory] in the hidden tests' source folder.</summary>
    private static List<string> TestMethodsInSource(string folder) =>
    [
        .. Directory.EnumerateFiles(Path.Combine(KitRepository.Root, "grader", "PaxosLabs.HiddenTests", folder), "*.cs")
            .SelectMany(file => TestMethod().Matches(File.ReadAllText(file)))
            .Select(m => m.Groups["name"].Value),
    ];

    [GeneratedRegex(@"\[(?:Fact|Theory)\b[\s\S]*?\b(?:void|Task|ValueTask)\s+(?<name>\w+)\s*\(")]
    private static partial Regex TestMethod();
}

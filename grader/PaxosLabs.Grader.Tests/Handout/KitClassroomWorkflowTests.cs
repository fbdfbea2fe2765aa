using System.Globalization;
using System.Text;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Handout;
using PaxosLabs.Grader.Tests.Grading;
using static PaxosLabs.Grader.Tests.Handout.WorkflowYaml;

namespace PaxosLabs.Grader.Tests.Handout;

/// <summary>The classroom workflow of the real kit: every task of the assignment texts, with their points.</summary>
public sealed class KitClassroomWorkflowTests
{
    private static IReadOnlyList<PointsRow> TableRows() =>
        [.. Directory.GetDirectories(Path.Combine(KitRepository.Root, "assignments"))
            .Select(d => Path.Combine(d, "README.md"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal)
            .SelectMany(f => PublishedPoints.Rows(Path.GetRelativePath(KitRepository.Root, f), File.ReadAllText(f)))];

    [Fact]
    public void Every_task_of_the_assignment_texts_has_a_visible_test_with_its_trait_in_its_stage_test_project()
    {
        var tests = Path.Combine(KitRepository.Root, "solutions", "tests");
        var files = Directory.EnumerateFiles(tests, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => new HandoutFile("src/tests/" + Path.GetRelativePath(tests, f).Replace('\\', '/'), File.ReadAllBytes(f)))
            .ToList();
        var visible = ClassroomWorkflow.VisibleTestProjects(files);
        var tasks = TableRows().Where(r => r.Task is not null).Select(r => r.Task!.Value).ToList();

        Assert.True(tasks.Count >= 20, $"only {tasks.Count} task rows found in the assignment texts");
        Assert.All(tasks, task =>
        {
            Assert.True(visible.TryGetValue(task, out var projects), $"no visible test under solutions/tests/ has [Trait(\"Task\", \"{task}\")]");
            Assert.Contains($"src/tests/PaxosLabs.Stage{task.Stage}.Tests", projects!);
        });
    }

    [Fact]
    public void The_handout_workflow_gives_each_task_its_published_points_and_the_tables_total_in_all()
    {
        var file = HandoutGenerator.Generate(KitRepository.Root).Single(f => f.RelativePath == ClassroomWorkflow.WorkflowPath);
        var workflow = Parse(Encoding.UTF8.GetString(file.Content));
        var graders = Steps(workflow, ClassroomWorkflow.JobId)
            .Where(s => Equals(s.GetValueOrDefault("uses"), "classroom-resources/autograding-command-grader@v1"))
            .ToDictionary(s => Text(s, "id"), s => int.Parse(Text(s, "with", "max-score"), CultureInfo.InvariantCulture));
        var rows = TableRows();

        Assert.Equal(
            rows.Where(r => r.Task is not null).ToDictionary(r => $"task-{r.Task!.Value.Stage}-{r.Task.Value.Number}", r => r.Points),
            graders);
        Assert.Equal(rows.Where(r => r.Task is null).Sum(r => r.Points), graders.Values.Sum());
        Assert.Contains($"These {graders.Values.Sum()} points are FEEDBACK, NOT YOUR GRADE.", Encoding.UTF8.GetString(file.Content), StringComparison.Ordinal);
    }
}

using System.Text;
using PaxosLabs.Grader.Handout;
using PaxosLabs.Grader.Skeletons;
using static PaxosLabs.Grader.Tests.Handout.WorkflowYaml;

namespace PaxosLabs.Grader.Tests.Handout;

/// <summary>The handout's GitHub Classroom workflow, made from the small kit's points table and visible tests.</summary>
public sealed class ClassroomWorkflowTests : IDisposable
{
    private const string Grader = "classroom-resources/autograding-command-grader@v1";
    private const string Reporter = "classroom-resources/autograding-grading-reporter@v1";

    private readonly TestTree _kit = SmallKit.Create();

    public void Dispose() => _kit.Dispose();

    private Dictionary<string, object?> Workflow()
    {
        var file = HandoutGenerator.Generate(_kit.Root).Single(f => f.RelativePath == ClassroomWorkflow.WorkflowPath);
        return Parse(Encoding.UTF8.GetString(file.Content));
    }

    private static List<Dictionary<string, object?>> GraderSteps(Dictionary<string, object?> workflow) =>
        [.. Steps(workflow, ClassroomWorkflow.JobId).Where(s => Equals(s.GetValueOrDefault("uses"), Grader))];

    private string Generated() =>
        Assert.Throws<GraderException>(() => HandoutGenerator.Generate(_kit.Root)).Message;

    [Fact]
    public void Each_task_of_the_points_table_is_one_grader_step_worth_its_points_that_runs_the_projects_with_its_tests()
    {
        var steps = GraderSteps(Workflow());

        Assert.Equal(
            [
                ("task-1-1", "task 1.1 visible tests", "bash .github/classroom/run-task-tests.sh 1.1 src/tests/T", "5", "2"),
                ("task-1-2", "task 1.2 visible tests", "bash .github/classroom/run-task-tests.sh 1.2 src/tests/T", "5", "3"),
                ("task-1-3", "task 1.3 visible tests", "bash .github/classroom/run-task-tests.sh 1.3 src/tests/T", "5", "1"),
            ],
            steps.Select(s => (Text(s, "id"), Text(s, "with", "test-name"), Text(s, "with", "command"), Text(s, "with", "timeout"), Text(s, "with", "max-score"))));
    }

    [Fact]
    public void The_reporter_comes_last_lists_every_grader_step_and_gets_each_step_result()
    {
        var workflow = Workflow();
        var steps = Steps(workflow, ClassroomWorkflow.JobId);
        var ids = GraderSteps(workflow).Select(s => Text(s, "id")).ToList();
        var reporter = Assert.Single(steps, s => Equals(s.GetValueOrDefault("uses"), Reporter));

        Assert.Equal(ids, Text(reporter, "with", "runners").Split(','));
        Assert.Equal(
            ids.ToDictionary(id => id.ToUpperInvariant() + "_RESULTS", id => (object?)$"${{{{steps.{id}.outputs.result}}}}"),
            Map(reporter, "env"));
        Assert.True(steps.IndexOf(reporter) > steps.FindLastIndex(s => Equals(s.GetValueOrDefault("uses"), Grader)), "the reporter must run after every grader step");
        Assert.False(reporter.ContainsKey("if"), "the reporter must run whatever the steps before it gave");
    }

    [Fact]
    public void It_is_the_one_workflow_and_job_GitHub_Classroom_reads_points_from_and_runs_on_push()
    {
        var files = HandoutGenerator.Generate(_kit.Root).Select(f => f.RelativePath).ToList();
        var workflow = Workflow();

        Assert.Equal([ClassroomWorkflow.WorkflowPath], files.Where(f => f.StartsWith(".github/workflows/", StringComparison.Ordinal)));
        Assert.Contains(ClassroomWorkflow.ScriptPath, files);
        Assert.Equal("Autograding Tests", Text(workflow, "name"));
        Assert.Equal(["run-autograding-tests"], Map(workflow, "jobs").Keys);
        Assert.True(Map(workflow, "on").ContainsKey("push"));
        Assert.Equal("write", Text(workflow, "permissions", "checks"));
    }

    [Fact]
    public void The_build_runs_once_before_the_graders_and_the_job_bound_covers_every_step_bound()
    {
        var workflow = Workflow();
        var steps = Steps(workflow, ClassroomWorkflow.JobId);
        var build = steps.FindIndex(s => Equals(s.GetValueOrDefault("run"), "dotnet build"));
        var stepMinutes = GraderSteps(workflow).Sum(s => int.Parse(Text(s, "with", "timeout"), System.Globalization.CultureInfo.InvariantCulture))
            + int.Parse(Text(steps[build], "timeout-minutes"), System.Globalization.CultureInfo.InvariantCulture);

        Assert.InRange(build, 0, steps.FindIndex(s => Equals(s.GetValueOrDefault("uses"), Grader)) - 1);
        Assert.Contains("--no-build", HandoutTexts.TaskTestsScript, StringComparison.Ordinal);
        Assert.True(int.Parse(Text(workflow, "jobs", ClassroomWorkflow.JobId, "timeout-minutes"), System.Globalization.CultureInfo.InvariantCulture) > stepMinutes);
    }

    [Fact]
    public void The_comment_and_the_readme_say_that_these_points_are_feedback_not_the_grade()
    {
        var files = HandoutGenerator.Generate(_kit.Root).ToDictionary(f => f.RelativePath, f => Encoding.UTF8.GetString(f.Content));

        Assert.Contains("These 6 points are FEEDBACK, NOT YOUR GRADE.", files[ClassroomWorkflow.WorkflowPath], StringComparison.Ordinal);
        Assert.Contains("hidden tests", files[ClassroomWorkflow.WorkflowPath], StringComparison.Ordinal);
        Assert.Contains("`.github/workflows/classroom.yml`", files["README.md"], StringComparison.Ordinal);
        Assert.Contains("feedback, not your grade", files["README.md"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_without_a_visible_test_stops_the_handout_since_its_step_could_never_pass()
    {
        _kit.Write("solutions/tests/T/ATests.cs", SmallKit.VisibleTests.Replace("Trait( \"Task\" , \"1.3\" )", "Trait(\"Category\", \"x\")", StringComparison.Ordinal));
        SkeletonGeneratorWrite();

        Assert.Equal(
            "no visible test (under solutions/tests/) has the trait Task of 1.3 (assignments/01-quorum-calls/README.md:9); the classroom workflow could never give those points",
            Generated());
    }

    [Fact]
    public void A_total_that_is_not_the_sum_of_its_table_stops_the_handout()
    {
        _kit.Write("assignments/01-quorum-calls/README.md", SmallKit.PointsTable.Replace("**6**", "**7**", StringComparison.Ordinal));

        Assert.Equal("assignments/01-quorum-calls/README.md:6: the total says 7 points, the table's tasks give 6", Generated());
    }

    [Fact]
    public void A_task_in_two_tables_stops_the_handout()
    {
        _kit.Write("assignments/02-more/README.md", "| Task | Behaviour checked | Points |\n|---|---|---|\n| 1.2 | again | 3 |\n");

        Assert.Equal("task 1.2 has a row in two places: assignments/01-quorum-calls/README.md:8, assignments/02-more/README.md:3", Generated());
    }

    [Fact]
    public void Without_a_points_table_there_is_no_workflow_to_make()
    {
        _kit.Write("assignments/01-quorum-calls/README.md", "# Start\nGood luck.\n");

        Assert.StartsWith("no assignment text (assignments/*/README.md) has a points table", Generated(), StringComparison.Ordinal);
    }

    [Fact]
    public void Tests_of_a_task_in_several_projects_are_run_from_each_and_other_traits_are_ignored()
    {
        static HandoutFile File(string path, string text) => new(path, Encoding.UTF8.GetBytes(text));
        var files = new[]
        {
            File("src/tests/B/B.csproj", "<Project />"),
            File("src/tests/B/Deep/BTests.cs", "[Fact, Trait(\"Task\", \"1.1\")] [Trait(\"Stage\", \"1\")]"),
            File("src/tests/A/A.csproj", "<Project />"),
            File("src/tests/A/ATests.cs", "[Trait(\"Task\",\"1.1\")] [Trait(\"Task\", \"01.2\")]"),
            File("src/P/PTests.cs", "[Trait(\"Task\", \"1.5\")]"),
        };

        var projects = ClassroomWorkflow.VisibleTestProjects(files);

        Assert.Equal([new TaskId(1, 1)], projects.Keys);
        Assert.Equal(["src/tests/A", "src/tests/B"], projects.Values.Single());
    }

    private void SkeletonGeneratorWrite() => SkeletonGenerator.Write(_kit.Root);
}

using PaxosLabs.Grader.Tests.Grading;
using static PaxosLabs.Grader.Tests.Handout.WorkflowYaml;

namespace PaxosLabs.Grader.Tests.Handout;

/// <summary>
/// The staff workflow <c>.github/workflows/grade-course.yml</c>, which no CI of the kit runs: its
/// structure is read here, and the bash of its planning, grading and merging steps runs against fake
/// <c>dotnet</c> and <c>sudo</c> commands.
/// </summary>
public sealed class StaffWorkflowTests : IDisposable
{
    private static readonly string WorkflowText = File.ReadAllText(Path.Combine(KitRepository.Root, ".github", "workflows", "grade-course.yml"));

    private static readonly Dictionary<string, object?> Workflow = Parse(WorkflowText);

    private readonly ScriptBench _bench = new();

    public void Dispose() => _bench.Dispose();

    private static string Run(string job, string step) => Text(Step(Workflow, job, step), "run");

    private static Dictionary<string, object?> Env(string job, string step) => Map(Step(Workflow, job, step), "env");

    [Fact]
    public void It_runs_only_by_hand_with_the_prefix_the_shard_count_and_the_stage_timeout_as_inputs()
    {
        Assert.Equal(["workflow_dispatch"], Map(Workflow, "on").Keys);
        Assert.Equal(["prefix", "shards", "stage-timeout"], Map(Workflow, "on", "workflow_dispatch", "inputs").Keys);
        Assert.Equal(["fetch", "grade", "merge"], Map(Workflow, "jobs").Keys);
        Assert.Equal("read", Text(Workflow, "permissions", "contents"));
    }

    [Theory]
    [InlineData("3", 5, "shards=3\nmatrix=[1,2,3]\n")]
    [InlineData("1", 5, "shards=1\nmatrix=[1]\n")]
    [InlineData("08", 12, "shards=8\nmatrix=[1,2,3,4,5,6,7,8]\n")]
    [InlineData("20", 2, "shards=2\nmatrix=[1,2]\n")] // never an empty shard
    public void The_shard_matrix_is_made_from_the_shards_input_and_the_number_of_students(string shards, int students, string output)
    {
        Assert.Equal("${{ fromJSON(needs.fetch.outputs.matrix) }}", Text(Workflow, "jobs", "grade", "strategy", "matrix", "shard"));
        Assert.Equal("fetch", Text(Workflow, "jobs", "grade", "needs"));
        Assert.Equal("${{ steps.shards.outputs.matrix }}", Text(Workflow, "jobs", "fetch", "outputs", "matrix"));
        Assert.Equal("${{ steps.shards.outputs.shards }}", Text(Workflow, "jobs", "fetch", "outputs", "shards"));
        Assert.Equal("shards", Text(Step(Workflow, "fetch", "plan the shards"), "id"));
        Assert.Equal("${{ inputs.shards }}", Env("fetch", "plan the shards")["SHARDS"]);
        for (var i = 0; i < students; i++)
        {
            _bench.Write($"submissions/student{i}/README.md", "x\n");
        }

        _bench.Write("submissions/.hidden/README.md", "skipped by the grader, so not a student\n");
        _bench.Write("github-output", "");

        var result = _bench.Bash(Run("fetch", "plan the shards"), new Dictionary<string, string> { ["SHARDS"] = shards, ["GITHUB_OUTPUT"] = Path.Combine(_bench.Folder, "github-output") });

        Assert.True(result.ExitCode == 0, string.Join('\n', result.Output));
        Assert.Equal(output, _bench.Read("github-output"));
    }

    [Theory]
    [InlineData("4", "300", 0)]
    [InlineData("20", "0300", 0)]
    [InlineData("0", "300", 1)]
    [InlineData("21", "300", 1)]
    [InlineData("x", "300", 1)]
    [InlineData("", "300", 1)]
    [InlineData("4", "5m", 1)]
    [InlineData("4", "300; echo injected", 1)]
    public void The_inputs_are_checked_before_anything_is_cloned(string shards, string stageTimeout, int exitCode)
    {
        var steps = Steps(Workflow, "fetch");
        Assert.Equal(0, steps.FindIndex(s => Equals(s["name"], "check the inputs")));

        var result = _bench.Bash(Run("fetch", "check the inputs"), new Dictionary<string, string> { ["SHARDS"] = shards, ["STAGE_TIMEOUT"] = stageTimeout });

        Assert.True(result.ExitCode == exitCode, string.Join('\n', result.Output));
    }

    [Fact]
    public void Each_shard_grades_its_share_of_the_submissions_as_root_with_the_kit_and_keeps_its_grades()
    {
        var env = Env("grade", "grade the shard");
        Assert.Equal("${{ matrix.shard }}", env["SHARD"]);
        Assert.Equal("${{ needs.fetch.outputs.shards }}", env["SHARDS"]);
        Assert.Equal("${{ inputs.stage-timeout }}", env["STAGE_TIMEOUT"]);

        var result = _bench.Bash(Run("grade", "grade the shard"), new Dictionary<string, string> { ["SHARD"] = "2", ["SHARDS"] = "3", ["STAGE_TIMEOUT"] = "300" });

        Assert.True(result.ExitCode == 0, string.Join('\n', result.Output));
        Assert.Equal(
            ["sudo", "run --project kit/grader/PaxosLabs.Grader -- grade --batch submissions --root kit --shard 2/3 --jobs 2 --out grades-2 --stage-timeout 300"],
            _bench.Calls);
        var keep = Step(Workflow, "grade", "keep the shard's grades");
        Assert.Equal("always()", Text(keep, "if"));
        Assert.Equal("grades-${{ matrix.shard }}", Text(keep, "with", "name"));
        Assert.Equal("grades-${{ matrix.shard }}", Text(keep, "with", "path"));
    }

    [Fact]
    public void The_merge_lists_every_shard_of_the_plan_and_keeps_the_merged_grades()
    {
        Assert.Equal(["fetch", "grade"], List(Workflow, "jobs", "merge", "needs"));
        Assert.Equal("${{ needs.fetch.outputs.shards }}", Env("merge", "merge the shards' gradebooks")["SHARDS"]);
        Assert.Equal("grades-*", Text(Step(Workflow, "merge", "download the shards' grades"), "with", "pattern"));
        _bench.Write("graded-commits.csv", "student,repository,commit\n");

        var result = _bench.Bash(Run("merge", "merge the shards' gradebooks"), new Dictionary<string, string> { ["SHARDS"] = "4" });

        Assert.True(result.ExitCode == 0, string.Join('\n', result.Output));
        Assert.Equal(["run --project kit/grader/PaxosLabs.Grader -- merge --root kit --out grades grades-1 grades-2 grades-3 grades-4"], _bench.Calls);
        Assert.True(_bench.Exists("grades/graded-commits.csv"));
        Assert.Equal("grades", Text(Step(Workflow, "merge", "keep the grades"), "with", "path"));
    }

    [Fact]
    public void The_token_is_only_in_the_clone_step_and_the_hidden_tests_stay_in_the_kit()
    {
        Assert.Equal(1, WorkflowText.Split("secrets.").Length - 1);
        Assert.Equal("${{ secrets.CLASSROOM_READ_TOKEN }}", Env("fetch", "clone the student repositories")["GH_TOKEN"]);
        var checkouts = Map(Workflow, "jobs").Keys
            .SelectMany(job => Steps(Workflow, job))
            .Where(s => s.GetValueOrDefault("uses") is string uses && uses.StartsWith("actions/checkout@", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(checkouts);
        Assert.All(checkouts, c =>
        {
            Assert.Equal("kit", Text(c, "with", "path"));
            Assert.Equal("false", Text(c, "with", "persist-credentials"));
            Assert.False(Map(c, "with").ContainsKey("repository"), "only this kit is checked out; student code arrives as the submissions artifact");
        });
    }
}

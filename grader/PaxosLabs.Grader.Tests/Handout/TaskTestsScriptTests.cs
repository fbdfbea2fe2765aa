using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Handout;

namespace PaxosLabs.Grader.Tests.Handout;

/// <summary>
/// The script each classroom step runs (<see cref="HandoutTexts.TaskTestsScript"/>), with bash, against
/// a fake dotnet that writes the TRX counts a real run would: it succeeds only when at least one test
/// ran and all that ran passed. (The handout end-to-end test runs it against the real dotnet.)
/// </summary>
public sealed class TaskTestsScriptTests : IDisposable
{
    private readonly ScriptBench _bench = new();

    public void Dispose() => _bench.Dispose();

    private ChildResult Run(params (string Project, string Spec)[] projects) =>
        _bench.Bash(
            HandoutTexts.TaskTestsScript,
            projects.ToDictionary(p => "FAKE_" + Path.GetFileName(p.Project).Replace('.', '_'), p => p.Spec),
            ["1.4", .. projects.Select(p => p.Project)]);

    private static string Output(ChildResult result) => string.Join('\n', result.Output);

    [Theory]
    [InlineData("0 0 0", "task 1.4: no visible test ran, so this task gets no points here")] // the filter matched nothing: dotnet test exits 0
    [InlineData("none 0 0", "task 1.4: no visible test ran, so this task gets no points here")] // no results file at all (a spec without its exit code made the fake print an error whose line could come last)
    [InlineData("3 2 1", "task 1.4: 2 of 3 visible tests passed; the points need all of them")]
    [InlineData("2 2 1", "task 1.4: 2 of 2 visible tests passed; the points need all of them")] // all passed, but the run failed (a crashed host)
    public void A_task_whose_tests_did_not_all_run_and_pass_fails(string spec, string message)
    {
        var result = Run(("src/tests/PaxosLabs.Stage1.Tests", spec));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(message, result.Output[^1]);
    }

    [Fact]
    public void A_task_whose_tests_all_ran_and_passed_succeeds_and_was_run_without_a_build_filtered_to_the_task()
    {
        var result = Run(("src/tests/PaxosLabs.Stage1.Tests", "2 2 0"));

        Assert.True(result.ExitCode == 0, Output(result));
        Assert.Equal("task 1.4: all 2 visible tests passed", result.Output[^1]);
        Assert.Equal(
            ["test src/tests/PaxosLabs.Stage1.Tests --no-build --nologo --filter Task=1.4 --logger trx;LogFileName=PaxosLabs.Stage1.Tests.trx --results-directory TestResults/task-1.4"],
            _bench.Calls);
    }

    [Fact]
    public void Counts_add_up_over_projects_so_one_project_without_tests_of_the_task_is_fine_but_a_failure_in_any_is_not()
    {
        var fine = Run(("src/tests/A", "0 0 0"), ("src/tests/B", "3 3 0"));
        Assert.True(fine.ExitCode == 0, Output(fine));
        Assert.Equal("task 1.4: all 3 visible tests passed", fine.Output[^1]);

        var oneFails = Run(("src/tests/A", "1 0 1"), ("src/tests/B", "3 3 0"));
        Assert.Equal(1, oneFails.ExitCode);
        Assert.Equal("task 1.4: 3 of 4 visible tests passed; the points need all of them", oneFails.Output[^1]);
    }

    [Fact]
    public void Results_of_an_earlier_run_do_not_count()
    {
        _bench.Write("TestResults/task-1.4/PaxosLabs.Stage1.Tests.trx", "<Counters total=\"5\" executed=\"5\" passed=\"5\" />\n");

        var result = Run(("src/tests/PaxosLabs.Stage1.Tests", "none 0 0"));

        Assert.Equal(1, result.ExitCode);
        Assert.False(_bench.Exists("TestResults/task-1.4/PaxosLabs.Stage1.Tests.trx"));
    }

    [Fact]
    public void Without_a_task_and_a_project_it_says_how_to_use_it()
    {
        var result = _bench.Bash(HandoutTexts.TaskTestsScript, new Dictionary<string, string>(), "1.4");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("usage:", Output(result), StringComparison.Ordinal);
        Assert.Empty(_bench.Calls);
    }
}

using System.Text.Json;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Reports;
using static PaxosLabs.Grader.Tests.Grading.ScorerTests;

namespace PaxosLabs.Grader.Tests.Grading;

public sealed class ScoreReportTests : IDisposable
{
    private readonly TestTree _tree = new();

    public void Dispose() => _tree.Dispose();

    /// <summary>Stage 1 complete but for one failure; stage 2 stopped at its time bound.</summary>
    private static Score Sample() => Scorer.Compute(
        [
            Test("Ns.Quorum.Reads", "1.1", 3),
            Test("Ns.Quorum.Writes", "1.1", 2),
            Test("Ns.QF.Table", "1.4", 2, cases: 2),
            Test("Ns.Paxos.Slow", "2.1", 5),
        ],
        [Passed("Ns.Quorum.Reads"), Failed("Ns.Quorum.Writes"), Passed("Ns.QF.Table"), Passed("Ns.QF.Table")],
        new HashSet<int> { 2 });

    private static string Console(Score score)
    {
        using var output = new StringWriter();
        ScoreReport.WriteConsole(score, output);
        return output.ToString().ReplaceLineEndings("\n");
    }

    [Fact]
    public void The_console_table_has_a_row_per_task_a_row_per_stage_the_total_and_ends_with_the_score()
    {
        Assert.Equal(
            TestTree.Lines(
                "stage  task             tests passed  points",
                "1      1.1                     1 / 2   3 / 5",
                "1      1.4                     1 / 1   2 / 2",
                "1      all                     2 / 3   5 / 7",
                "2      2.1                     0 / 1   0 / 5",
                "2      all (timed out)         0 / 1   0 / 5",
                "total                          2 / 4  5 / 12",
                "",
                "not passed:",
                "  failed     1.1    2 pt  Ns.Quorum.Writes",
                "  timed out  2.1    5 pt  Ns.Paxos.Slow",
                "",
                "score: 5 / 12"),
            Console(Sample()));
    }

    [Fact]
    public void The_markdown_has_the_same_table_and_names_no_test()
    {
        var markdown = ScoreReport.Markdown("skeletons", Sample(), TimeSpan.FromSeconds(600));

        Assert.StartsWith("### Hidden tests: skeletons\n\n| stage | task | tests passed | points |\n| ---: | :--- | ---: | ---: |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| 1 | 1.1 | 1 / 2 | 3 / 5 |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| 2 | **all** (timed out) | **0 / 1** | **0 / 5** |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| | **total** | **2 / 4** | **5 / 12** |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("Stage 2 was stopped at its time bound (600 s)", markdown, StringComparison.Ordinal);
        Assert.EndsWith("**score: 5 / 12**\n", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Ns.", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_has_total_max_and_every_test()
    {
        // As GradeJob.Save writes it: every test with the visibility it gets.
        using var json = JsonDocument.Parse(ScoreReport.Json("solutions", GradescopeVisibility.WithDefault(Sample(), GradescopeVisibility.AfterPublished)));
        var root = json.RootElement;

        Assert.Equal(("solutions", true, 5, 12), (root.GetProperty("implementation").GetString(), root.GetProperty("compiles").GetBoolean(), root.GetProperty("total").GetInt32(), root.GetProperty("max").GetInt32()));
        var tests = root.GetProperty("tests").EnumerateArray()
            .Select(t => (t.GetProperty("name").GetString(), t.GetProperty("task").GetString(), t.GetProperty("stage").GetInt32(), t.GetProperty("points").GetInt32(), t.GetProperty("earned").GetInt32(), t.GetProperty("outcome").GetString(), t.GetProperty("visibility").GetString()));
        Assert.Equal(
            [
                ("Ns.Quorum.Reads", "1.1", 1, 3, 3, "passed", "AfterPublished"),
                ("Ns.Quorum.Writes", "1.1", 1, 2, 0, "failed", "AfterPublished"),
                ("Ns.QF.Table", "1.4", 1, 2, 2, "passed", "AfterPublished"),
                ("Ns.Paxos.Slow", "2.1", 2, 5, 0, "timed out", "AfterPublished"),
            ],
            tests);
        Assert.Equal([false, true], root.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("timedOut").GetBoolean()));
    }

    [Fact]
    public void A_compile_failure_reports_score_0_and_the_errors()
    {
        string[] errors = ["skeletons/A.cs(3,1): error CS1002: ; expected"];
        using var output = new StringWriter();

        ScoreReport.WriteCompileFailure(errors, output);
        using var json = JsonDocument.Parse(ScoreReport.CompileFailureJson("skeletons", errors));

        Assert.Equal(
            TestTree.Lines("does not compile:", "  skeletons/A.cs(3,1): error CS1002: ; expected", "", "score: 0 (does not compile)"),
            output.ToString().ReplaceLineEndings("\n"));
        Assert.False(json.RootElement.GetProperty("compiles").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("max").ValueKind);
        Assert.Equal(errors, json.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(errors[0], ScoreReport.CompileFailureMarkdown("skeletons", errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Save_writes_both_reports_and_appends_the_markdown_to_the_step_summary()
    {
        var outDirectory = Path.Combine(_tree.Root, "out", "grade");
        var summary = Path.Combine(_tree.Root, "summary.md");
        File.WriteAllText(summary, "earlier step\n");

        ScoreReport.Save(outDirectory, "# table\n", "{}\n", summary);
        ScoreReport.Save(outDirectory, "# table\n", "{}\n", stepSummaryPath: null);

        Assert.Equal("# table\n", File.ReadAllText(Path.Combine(outDirectory, "score.md")));
        Assert.Equal("{}\n", File.ReadAllText(Path.Combine(outDirectory, "score.json")));
        Assert.Equal("earlier step\n# table\n\n", File.ReadAllText(summary));
    }
}

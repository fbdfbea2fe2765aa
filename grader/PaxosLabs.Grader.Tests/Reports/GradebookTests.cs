using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Reports;
using static PaxosLabs.Grader.Tests.Grading.ScorerTests;

namespace PaxosLabs.Grader.Tests.Reports;

public sealed class GradebookTests
{
    private static GradeResult Graded(params string[] passed) => new(
        "x",
        new Graded(Scorer.Compute([Test("N.A", "1.1", 3), Test("N.B", "2.1", 4)], passed.Select(Passed), new HashSet<int>()), []),
        new GradeExtras(["Directory.Build.props (changed)"], [], []),
        TimeSpan.FromSeconds(60));

    private static readonly GradebookRow[] Rows =
    [
        GradebookRow.Failed("=cmd()", "no editable files"),
        GradebookRow.Of("bob", new GradeResult("bob", new DoesNotCompile(["e"]), GradeExtras.None, TimeSpan.FromSeconds(60))),
        GradebookRow.Of("alice", Graded("N.A", "N.B")),
        GradebookRow.Of("carol, jr.", Graded("N.B")),
    ];

    [Fact]
    public void The_gradebook_has_a_row_per_student_with_points_per_stage_and_the_outcome()
    {
        var csv = Gradebook.Csv(Gradebook.Sorted(Rows));

        Assert.Equal(
            "student,score,max,stage-1,stage-2,outcome,ignored_files\r\n" +
            "'=cmd(),,7,,,error: no editable files,0\r\n" +
            "alice,7,7,3,4,graded,1\r\n" +
            "bob,0,7,0,0,does not compile,0\r\n" +
            "\"carol, jr.\",4,7,0,4,graded,1\r\n",
            csv);
    }

    [Fact]
    public void A_saved_gradebook_reads_back_as_the_same_rows_and_writes_the_same_csv()
    {
        using var tree = new TestTree();

        Gradebook.Save(tree.Root, Rows);
        var read = Gradebook.Read(Path.Combine(tree.Root, Gradebook.DataFile));

        Assert.Equal(Gradebook.Sorted(Rows).Select(r => r with { Stages = [] }), read.Select(r => r with { Stages = [] }));
        Assert.Equal(Gradebook.Sorted(Rows).Select(r => r.Stages), read.Select(r => r.Stages));
        Assert.Equal(Gradebook.Csv(Gradebook.Sorted(Rows)), File.ReadAllText(Path.Combine(tree.Root, Gradebook.FileName)));
    }

    [Fact]
    public void A_file_that_is_not_a_gradebook_is_a_clear_error()
    {
        using var tree = new TestTree();
        var path = Path.Combine(tree.Root, Gradebook.DataFile);
        File.WriteAllText(path, "[{\"score\": 3}]");

        var error = Assert.Throws<GraderException>(() => Gradebook.Read(path));

        Assert.Contains("is not a gradebook", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_step_summary_lists_each_student_with_score_and_outcome()
    {
        var markdown = Gradebook.Markdown(Gradebook.Sorted(Rows));

        Assert.StartsWith("## Gradebook: 4 submission(s), 1 not graded\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| =cmd() | — | error: no editable files |", markdown, StringComparison.Ordinal);
        Assert.Contains("| alice | 7 / 7 | graded |", markdown, StringComparison.Ordinal);
        Assert.Contains("| bob | 0 / 7 | does not compile |", markdown, StringComparison.Ordinal);
    }
}

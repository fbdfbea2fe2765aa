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

    [Fact]
    public void The_gradebook_has_a_row_per_student_with_points_per_stage_and_the_outcome()
    {
        var csv = Gradebook.Csv(
        [
            new GradebookRow("alice", Graded("N.A", "N.B")),
            new GradebookRow("bob", new GradeResult("bob", new DoesNotCompile(["e"]), GradeExtras.None, TimeSpan.FromSeconds(60))),
            new GradebookRow("carol, jr.", Graded("N.B")),
            new GradebookRow("=cmd()", null, "no editable files"),
        ]);

        Assert.Equal(
            "student,score,max,stage-1,stage-2,outcome,ignored_files\r\n" +
            "alice,7,7,3,4,graded,1\r\n" +
            "bob,0,7,0,0,does not compile,0\r\n" +
            "\"carol, jr.\",4,7,0,4,graded,1\r\n" +
            "'=cmd(),,7,,,error: no editable files,0\r\n",
            csv);
    }
}

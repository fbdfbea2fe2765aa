using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Tests.Grading;

public class PublishedPointsTests
{
    private static readonly Manifest Stage4 = new(
    [
        new ManifestTest("Hidden.Stage4.A.First", new TaskId(4, 1), 5, "AfterPublished"),
        new ManifestTest("Hidden.Stage4.B.Second", new TaskId(4, 4), 4, "AfterPublished"),
        new ManifestTest("Hidden.Stage4.B.Third", new TaskId(4, 4), 6, "AfterPublished"),
    ]);

    private static string Table(params string[] rows) =>
        "# Assignment 4\n\n| Task | Behaviour checked | Points |\n|---|---|---|\n" + string.Join("\n", rows) + "\n\nMore text.\n";

    [Fact]
    public void Rows_are_read_with_their_line_and_the_total_has_no_task()
    {
        var rows = PublishedPoints.Rows("a.md", Table("| 4.1 | Prepare \\| Accept | 5 |", "| 4.4 | Leader change | 10 |", "| | **Total** | **15** |"));

        Assert.Equal(
            [
                new PointsRow("a.md", 5, new TaskId(4, 1), 5),
                new PointsRow("a.md", 6, new TaskId(4, 4), 10),
                new PointsRow("a.md", 7, null, 15),
            ],
            rows);
    }

    [Fact]
    public void A_table_that_agrees_with_the_grader_has_no_problem()
    {
        Assert.Empty(PublishedPoints.CheckTable("a.md", Table("| 4.1 | x | 5 |", "| 4.4 | y | 10 |", "| | **Total** | **15** |"), 4, Stage4));
    }

    [Fact]
    public void A_task_row_below_its_tests_names_the_line_both_numbers_and_the_tests()
    {
        var problem = Assert.Single(PublishedPoints.CheckTable("a.md", Table("| 4.1 | x | 5 |", "| 4.4 | y | 4 |", "| | **Total** | **15** |"), 4, Stage4));

        Assert.Equal("a.md:6: task 4.4 has 4 point(s) here, 10 in the hidden tests (Second 4, Third 6)", problem);
    }

    [Fact]
    public void A_wrong_total_a_missing_task_and_a_task_without_tests_are_each_reported()
    {
        var problems = PublishedPoints.CheckTable("a.md", Table("| 4.1 | x | 5 |", "| 4.2 | z | 3 |", "| | **Total** | **8** |"), 4, Stage4).ToList();

        Assert.Equal(
            [
                "a.md:6: task 4.2 has 3 point(s) here, but no hidden test of stage 4 checks it",
                "a.md: task 4.4 has no row, and its hidden tests give it 10 point(s)",
                "a.md:7: the total says 8 points, the hidden tests of stage 4 give 15",
            ],
            problems);
    }

    [Fact]
    public void A_text_without_a_table_or_without_a_total_is_reported()
    {
        Assert.Equal(["a.md: no points table (rows `| N.k | … | points |`); the hidden tests give stage 4 15 points"], PublishedPoints.CheckTable("a.md", "# no table\n", 4, Stage4));
        Assert.Equal(["a.md: the points table needs one `**Total**` row (15 points), it has 0"], PublishedPoints.CheckTable("a.md", Table("| 4.1 | x | 5 |", "| 4.4 | y | 10 |"), 4, Stage4));
    }

    [Fact]
    public void Examples_in_the_docs_must_show_the_grader_maximum()
    {
        const string doc = """
            The console ends with `score: 180 / 198`.

                student,score,max,stage-1,outcome
                alice,180,198,23,graded
                bob,0,221,0,does not compile

            After the block: 1,2,3 is not a gradebook.
            """;

        Assert.Equal(
            [
                "g.md:1: the example says `score: 180 / 198`, the grader's maximum is 221",
                "g.md:4: the gradebook example's max is 198, the grader's maximum is 221",
            ],
            PublishedPoints.CheckExamples("g.md", doc, 221));
        Assert.Empty(PublishedPoints.CheckExamples("g.md", doc.Replace("198", "221", StringComparison.Ordinal), 221));
    }
}

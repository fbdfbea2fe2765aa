using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Tests.Grading;

public class ScorerTests
{
    private static readonly HashSet<int> NoTimeouts = [];

    internal static ManifestTest Test(string name, string task, int points, int? cases = null)
    {
        Assert.True(TaskId.TryParse(task, out var id));
        return new ManifestTest(name, id, points, null, cases); // [Graded] names no visibility

    }

    internal static TestResult Passed(string name) => new(name, "Passed");

    internal static TestResult Failed(string name) => new(name, "Failed");

    private static TestScore Only(Score score) => Assert.Single(score.Tests);

    [Fact]
    public void A_theory_whose_one_case_fails_earns_nothing()
    {
        var score = Scorer.Compute([Test("T.Theory", "1.1", 4)], [Passed("T.Theory"), Failed("T.Theory"), Passed("T.Theory")], NoTimeouts);

        Assert.Equal((TestOutcome.Failed, 0, 3), (Only(score).Outcome, Only(score).Earned, Only(score).Results));
        Assert.Equal((0, 4), (score.Total, score.Max));
    }

    [Fact]
    public void A_theory_whose_cases_all_pass_earns_its_points()
    {
        var score = Scorer.Compute([Test("T.Theory", "1.1", 4, cases: 2)], [Passed("T.Theory"), Passed("T.Theory")], NoTimeouts);

        Assert.Equal((TestOutcome.Passed, 4), (Only(score).Outcome, Only(score).Earned));
    }

    [Fact]
    public void A_theory_with_fewer_results_than_inline_cases_earns_nothing()
    {
        // For example, the test host crashed in the third case after two had passed.
        var score = Scorer.Compute([Test("T.Theory", "1.1", 4, cases: 3)], [Passed("T.Theory"), Passed("T.Theory")], NoTimeouts);

        Assert.Equal((TestOutcome.NotRun, 0), (Only(score).Outcome, Only(score).Earned));
    }

    [Fact]
    public void Missing_results_are_not_run_and_earn_nothing()
    {
        var score = Scorer.Compute([Test("T.Ran", "1.1", 2), Test("T.Missing", "1.1", 3)], [Passed("T.Ran")], NoTimeouts);

        Assert.Equal(
            [("T.Missing", TestOutcome.NotRun, 0), ("T.Ran", TestOutcome.Passed, 2)],
            score.Tests.Select(t => (t.Test.Name, t.Outcome, t.Earned)));
        Assert.False(score.Stages.Single().TimedOut);
    }

    [Fact]
    public void Any_outcome_but_Passed_fails_the_test()
    {
        var score = Scorer.Compute([Test("T.Skipped", "1.1", 2)], [new TestResult("T.Skipped", "NotExecuted")], NoTimeouts);

        Assert.Equal(TestOutcome.Failed, Only(score).Outcome);
    }

    [Fact]
    public void A_timed_out_stage_marks_its_missing_tests_timed_out_and_other_stages_keep_their_points()
    {
        var manifest = new[]
        {
            Test("S1.A", "1.1", 3),
            Test("S1.B", "1.2", 2),
            Test("S2.Done", "2.1", 5),
            Test("S2.Stuck", "2.1", 7),
            Test("S2.Never", "2.2", 1),
        };
        var results = new[] { Passed("S1.A"), Passed("S1.B"), Passed("S2.Done") };

        var score = Scorer.Compute(manifest, results, new HashSet<int> { 2 });

        Assert.Equal(
            [
                ("S1.A", TestOutcome.Passed),
                ("S1.B", TestOutcome.Passed),
                ("S2.Done", TestOutcome.Passed),
                ("S2.Stuck", TestOutcome.TimedOut),
                ("S2.Never", TestOutcome.TimedOut),
            ],
            score.Tests.Select(t => (t.Test.Name, t.Outcome)));
        Assert.Equal([(1, false, 5, 5), (2, true, 5, 13)], score.Stages.Select(s => (s.Stage, s.TimedOut, s.Earned, s.Possible)));
        Assert.Equal((10, 18), (score.Total, score.Max));
    }

    [Fact]
    public void A_test_charged_with_stopping_a_run_loses_its_points_and_the_others_of_its_stage_keep_theirs()
    {
        var manifest = new[]
        {
            Test("S1.Loops", "1.4", 3),
            Test("S1.Exits", "1.5", 2),
            Test("S1.FailedFirst", "1.5", 2, cases: 2),
            Test("S1.Fine", "1.1", 4),
        };
        var results = new[] { Failed("S1.FailedFirst"), Passed("S1.Fine") };
        var stopped = new Dictionary<string, TestOutcome>
        {
            ["S1.Loops"] = TestOutcome.TimedOut,
            ["S1.Exits"] = TestOutcome.Crashed,
            ["S1.FailedFirst"] = TestOutcome.Crashed,
        };

        var score = Scorer.Compute(manifest, results, NoTimeouts, stopped);

        Assert.Equal(
            [("S1.Fine", TestOutcome.Passed), ("S1.Loops", TestOutcome.TimedOut), ("S1.Exits", TestOutcome.Crashed), ("S1.FailedFirst", TestOutcome.Failed)],
            score.Tests.Select(t => (t.Test.Name, t.Outcome)));
        Assert.False(score.Stages.Single().TimedOut, "only the stage bound times a stage out");
        Assert.Equal((4, 11), (score.Total, score.Max));
    }

    /// <summary>
    /// Every way a test can end without a passing result, with the runner's charges given (as the
    /// grader always gives them, often for other tests): none earns a point. Charges of other tests
    /// once made every uncharged test without a result count as passed.
    /// </summary>
    [Theory]
    [InlineData("no result, its stage ended by itself", false, null, "NotRun")]
    [InlineData("no result, its stage was cut at the stage bound", true, null, "TimedOut")]
    [InlineData("charged with a hang", false, "TimedOut", "TimedOut")]
    [InlineData("charged with a crash", false, "Crashed", "Crashed")]
    [InlineData("charged with a hang in a stage that was then cut", true, "TimedOut", "TimedOut")]
    [InlineData("a charge that is not a charge (never Passed)", false, "Passed", "NotRun")]
    [InlineData("a charge that is not a charge, in a cut stage", true, "Passed", "TimedOut")]
    public void A_test_without_a_passing_result_never_earns_a_point_whatever_was_charged(string why, bool stageCut, string? charge, string expected)
    {
        var manifest = new[] { Test("S2.Lost", "2.1", 5), Test("S2.Ran", "2.1", 1), Test("S3.Other", "3.1", 2) };
        var stopped = new Dictionary<string, TestOutcome> { ["S3.Other"] = TestOutcome.Crashed };
        if (charge is not null)
        {
            stopped["S2.Lost"] = Enum.Parse<TestOutcome>(charge);
        }

        var score = Scorer.Compute(manifest, [Passed("S2.Ran")], stageCut ? new HashSet<int> { 2 } : NoTimeouts, stopped);

        var lost = score.Tests.Single(t => t.Test.Name == "S2.Lost");
        Assert.True((lost.Outcome, lost.Earned) == (Enum.Parse<TestOutcome>(expected), 0), $"{why}: {lost.Outcome}, {lost.Earned} points");
        Assert.Equal((TestOutcome.Crashed, 0), (score.Tests.Single(t => t.Test.Name == "S3.Other").Outcome, score.Tests.Single(t => t.Test.Name == "S3.Other").Earned));
        Assert.Equal(1, score.Total);
    }

    [Fact]
    public void Theory_cases_that_never_reported_are_charged_or_not_run_but_never_passed()
    {
        var manifest = new[] { Test("T.Charged", "1.1", 4, cases: 3), Test("T.Short", "1.1", 4, cases: 3) };
        var results = new[] { Passed("T.Charged"), Passed("T.Short"), Passed("T.Short") };
        var stopped = new Dictionary<string, TestOutcome> { ["T.Charged"] = TestOutcome.Crashed };

        var score = Scorer.Compute(manifest, results, NoTimeouts, stopped);

        Assert.Equal([("T.Charged", TestOutcome.Crashed, 0), ("T.Short", TestOutcome.NotRun, 0)], score.Tests.Select(t => (t.Test.Name, t.Outcome, t.Earned)));
    }

    [Fact]
    public void Points_are_summed_per_task_per_stage_and_in_total_in_task_order()
    {
        var manifest = new[]
        {
            Test("X.Ten", "1.10", 1),
            Test("X.TwoA", "1.2", 2),
            Test("X.TwoB", "1.2", 3),
            Test("X.Four", "4.1", 4),
        };
        var results = new[] { Passed("X.Ten"), Failed("X.TwoA"), Passed("X.TwoB"), Passed("X.Four"), Passed("X.NotInTheManifest") };

        var score = Scorer.Compute(manifest, results, NoTimeouts);

        Assert.Equal([1, 4], score.Stages.Select(s => s.Stage));
        Assert.Equal(
            [("1.2", 1, 2, 3, 5), ("1.10", 1, 1, 1, 1), ("4.1", 1, 1, 4, 4)],
            score.Stages.SelectMany(s => s.Tasks).Select(t => (t.Task.ToString(), t.Passed, t.Tests.Count, t.Earned, t.Possible)));
        Assert.Equal((2, 3, 4, 6), (score.Stages[0].Passed, score.Stages[0].Tests, score.Stages[0].Earned, score.Stages[0].Possible));
        Assert.Equal((3, 4, 8, 10), (score.Passed, score.TestCount, score.Total, score.Max));
    }
}

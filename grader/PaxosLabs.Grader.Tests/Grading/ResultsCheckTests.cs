using PaxosLabs.Grader.Grading;
using static PaxosLabs.Grader.Tests.Grading.ScorerTests;

namespace PaxosLabs.Grader.Tests.Grading;

public sealed class ResultsCheckTests : IDisposable
{
    private const string Trx = """
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun id="1" name="run" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
            <UnitTestResult testName="Ns.A.Fact" outcome="Passed" />
            <UnitTestResult testName="Ns.A.Theory(n: 1)" outcome="Passed" />
            <UnitTestResult testName="Ns.A.Theory(n: 2)" outcome="Passed" />
          </Results>
        </TestRun>
        """;

    private static readonly ManifestTest[] Expected =
    [
        Test("Ns.A.Fact", "1.1", 2),
        Test("Ns.A.Theory", "1.2", 3, cases: 2) with { IsTheory = true },
        Test("Ns.A.Missing", "1.2", 1),
    ];

    private readonly TestTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private string WriteTrx(string text, DateTime lastWriteUtc)
    {
        var path = Path.Combine(_tree.Root, "stage-1.trx");
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, lastWriteUtc);
        return path;
    }

    [Fact]
    public void A_file_written_before_the_test_process_exited_with_known_tests_is_kept_whole()
    {
        var exit = DateTime.UtcNow;
        var checkedResults = ResultsCheck.Verify(WriteTrx(Trx, exit.AddSeconds(-1)), exit, Expected);

        Assert.Empty(checkedResults.Problems);
        Assert.Equal(["Ns.A.Fact", "Ns.A.Theory", "Ns.A.Theory"], checkedResults.Results.Select(r => r.Name));
    }

    [Fact]
    public void A_file_written_after_the_test_process_exited_is_rejected()
    {
        var exit = DateTime.UtcNow.AddSeconds(-10);
        var checkedResults = ResultsCheck.Verify(WriteTrx(Trx, exit.AddSeconds(2)), exit, Expected);

        Assert.Empty(checkedResults.Results);
        Assert.StartsWith("the results file was written 2000 ms after the test process exited", Assert.Single(checkedResults.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_unreadable_file_gives_no_results()
    {
        var exit = DateTime.UtcNow;
        Assert.Empty(ResultsCheck.Verify(Path.Combine(_tree.Root, "none.trx"), exit, Expected).Results);
        var cut = ResultsCheck.Verify(WriteTrx(Trx[..200], exit.AddSeconds(-1)), exit, Expected);
        Assert.Empty(cut.Results);
        Assert.Contains("unreadable", Assert.Single(cut.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Results_of_tests_that_are_not_in_the_manifest_are_dropped_and_reported()
    {
        var checkedResults = ResultsCheck.Filter([Passed("Ns.A.Fact"), Passed("Ns.Fake.AllPass"), Passed("Ns.Fake.More")], Expected);

        Assert.Equal(["Ns.A.Fact"], checkedResults.Results.Select(r => r.Name));
        Assert.Equal("the results file reports 2 test(s) that are not hidden tests of this run (such as Ns.Fake.AllPass): ignored", Assert.Single(checkedResults.Problems));
    }

    [Fact]
    public void A_test_with_more_results_than_it_can_have_loses_them_all()
    {
        var checkedResults = ResultsCheck.Filter(
            [Failed("Ns.A.Fact"), Passed("Ns.A.Fact"), Passed("Ns.A.Theory"), Passed("Ns.A.Theory"), Passed("Ns.A.Theory")],
            Expected);

        Assert.Empty(checkedResults.Results);
        Assert.Equal(2, checkedResults.Problems.Count);
        var score = Scorer.Compute(Expected, checkedResults.Results, new HashSet<int>());
        Assert.All(score.Tests, t => Assert.Equal(TestOutcome.NotRun, t.Outcome));
    }

    [Fact]
    public void A_passed_result_with_a_failure_message_was_rewritten_and_counts_as_failed()
    {
        // What a TRX rewritten from outcome="Failed" to "Passed" looks like: the runner's message stays.
        var rewritten = TrxResults.Parse(Trx.Replace(
            """<UnitTestResult testName="Ns.A.Fact" outcome="Passed" />""",
            """<UnitTestResult testName="Ns.A.Fact" outcome="Passed"><Output><ErrorInfo><Message>System.NotImplementedException : TODO(1.4): ReadQF</Message></ErrorInfo></Output></UnitTestResult>""",
            StringComparison.Ordinal));

        var checkedResults = ResultsCheck.Filter(rewritten, Expected);

        Assert.Equal(("Ns.A.Fact", "Failed"), (checkedResults.Results[0].Name, checkedResults.Results[0].Outcome));
        Assert.Equal(
            "the results file reports Ns.A.Fact as passed with a failure message ('System.NotImplementedException : TODO(1.4): ReadQF'), so it was rewritten: counted as failed",
            Assert.Single(checkedResults.Problems));
        var score = Scorer.Compute(Expected, checkedResults.Results, new HashSet<int>());
        Assert.Equal((TestOutcome.Failed, 0), (score.Tests.Single(t => t.Test.Name == "Ns.A.Fact").Outcome, score.Tests.Single(t => t.Test.Name == "Ns.A.Fact").Earned));
    }

    [Fact]
    public void A_member_data_theory_may_have_any_number_of_results()
    {
        ManifestTest[] expected = [Test("Ns.A.Data", "1.1", 2) with { IsTheory = true }];

        Assert.Equal(5, ResultsCheck.Filter([.. Enumerable.Repeat(Passed("Ns.A.Data"), 5)], expected).Results.Count);
    }

    [Fact]
    public void The_fingerprint_of_a_build_output_changes_when_any_file_does()
    {
        _tree.Write("bin/Tests.dll", "assembly");
        _tree.Write("bin/sub/Other.dll", "other");
        var before = OutputFingerprint.Of(Path.Combine(_tree.Root, "bin"));

        Assert.Equal(before, OutputFingerprint.Of(Path.Combine(_tree.Root, "bin")));
        _tree.Write("bin/sub/Other.dll", "forged");
        Assert.NotEqual(before, OutputFingerprint.Of(Path.Combine(_tree.Root, "bin")));
    }
}

using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Mutants;
using static PaxosLabs.Grader.Tests.Grading.ScorerTests;

namespace PaxosLabs.Grader.Tests.Mutants;

public class KillMatrixTests
{
    private static readonly Mutant Mutant = MutantFile.Parse("grader/mutants/2.1-equal.mutant", MutantFileTests.Valid.Replace("task: 1.1", "task: 2.1", StringComparison.Ordinal));

    private static readonly ManifestTest[] Manifest =
    [
        Test("S1.Tests.Other", "1.1", 1),
        Test("S2.AcceptorTests.Prepare_is_strict", "2.1", 2),
        Test("S2.AcceptorTests.Accept", "2.2", 2),
    ];

    private static Graded Graded(params TestResult[] results) =>
        new(Scorer.Compute(Manifest, results, new HashSet<int>()), []);

    [Fact]
    public void A_mutant_is_killed_by_the_tests_of_its_stage_that_did_not_pass_with_their_first_message_line()
    {
        var outcome = Graded(
            new TestResult("S2.AcceptorTests.Prepare_is_strict", "Failed", "\n  round 5 was promised twice: Prepare must be strict\nExpected: …"),
            Passed("S2.AcceptorTests.Accept"));

        var verdict = KillMatrix.Judge(Mutant, outcome, TimeSpan.FromSeconds(3));

        Assert.Equal(MutantStatus.Killed, verdict.Status);
        var kill = Assert.Single(verdict.Kills);
        Assert.Equal(new Kill("S2.AcceptorTests.Prepare_is_strict", TestOutcome.Failed, "round 5 was promised twice: Prepare must be strict"), kill);
    }

    [Fact]
    public void Tests_of_other_stages_that_were_not_run_do_not_kill()
    {
        var verdict = KillMatrix.Judge(Mutant, Graded(Passed("S2.AcceptorTests.Prepare_is_strict"), Passed("S2.AcceptorTests.Accept")), TimeSpan.Zero);

        Assert.Equal(MutantStatus.Survived, verdict.Status);
        Assert.Empty(verdict.Kills);
    }

    [Fact]
    public void A_test_of_its_stage_without_a_result_kills_it()
    {
        var verdict = KillMatrix.Judge(Mutant, Graded(Passed("S2.AcceptorTests.Accept")), TimeSpan.Zero);

        Assert.Equal(MutantStatus.Killed, verdict.Status);
        Assert.Equal(TestOutcome.NotRun, Assert.Single(verdict.Kills).Outcome);
    }

    [Fact]
    public void A_mutant_that_does_not_compile_is_neither_killed_nor_survived()
    {
        var verdict = KillMatrix.Judge(Mutant, new DoesNotCompile(["A.cs(3,1): error CS1002: ; expected"]), TimeSpan.Zero);

        Assert.Equal(MutantStatus.DoesNotCompile, verdict.Status);
        Assert.Equal("A.cs(3,1): error CS1002: ; expected", verdict.Detail);
    }

    [Fact]
    public void The_reports_name_every_mutant_its_killers_and_the_totals()
    {
        var killed = KillMatrix.Judge(Mutant, Graded(new TestResult("S2.AcceptorTests.Prepare_is_strict", "Failed", "a | b"), Passed("S2.AcceptorTests.Accept")), TimeSpan.Zero);
        var survived = KillMatrix.Judge(Mutant with { Id = "2.2-kept" }, Graded(Passed("S2.AcceptorTests.Prepare_is_strict"), Passed("S2.AcceptorTests.Accept")), TimeSpan.Zero);
        var console = new StringWriter();

        KillMatrix.WriteConsole([killed, survived], console);
        var markdown = KillMatrix.Markdown([killed, survived], new DateTimeOffset(2026, 11, 26, 1, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(2));

        Assert.Contains("AcceptorTests.Prepare_is_strict [failed] a | b", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("SURVIVED", console.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("mutants: 1 killed, 1 survived, 0 do not compile" + Environment.NewLine, console.ToString(), StringComparison.Ordinal);
        Assert.Contains("2026-11-26 01:00 UTC, wall time 2.0 min.", markdown, StringComparison.Ordinal);
        Assert.Contains("| `2.1-equal` | 2.1 | killed | AcceptorTests.Prepare_is_strict | protocol §1.1: one is one |", markdown, StringComparison.Ordinal);
        Assert.Contains("| `2.2-kept` | 2.1 | SURVIVED | — |", markdown, StringComparison.Ordinal);
        Assert.Contains("- `AcceptorTests.Prepare_is_strict` (failed): a \\| b", markdown, StringComparison.Ordinal);
        Assert.Contains("do not compile (2 of 5 mutants graded so far)", KillMatrix.Markdown([killed, survived], DateTimeOffset.UnixEpoch, TimeSpan.Zero, planned: 5), StringComparison.Ordinal);
    }
}

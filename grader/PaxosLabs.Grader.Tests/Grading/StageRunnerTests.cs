using System.Xml.Linq;
using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Tests.Grading;

public sealed class StageRunnerTests
{
    private static ManifestTest Test(string name) => ScorerTests.Test(name, "1.1", 1);

    [Fact]
    public void The_first_run_takes_the_whole_stage_and_a_later_one_names_the_tests_left()
    {
        Assert.Equal("Stage=3", StageRunner.Filter(3, null));
        Assert.Equal("Stage=3&(FullyQualifiedName=N.A.One|FullyQualifiedName=N.B.Two)", StageRunner.Filter(3, [Test("N.A.One"), Test("N.B.Two")]));
    }

    [Theory]
    [InlineData(false, "true")]
    [InlineData(true, "false")]
    public void The_run_settings_bound_each_test_without_a_dump_and_serialize_on_request(bool oneAtATime, string parallel)
    {
        var settings = XDocument.Parse(StageRunner.RunSettings(TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(90), oneAtATime));

        Assert.Equal("50000", settings.Descendants("TestSessionTimeout").Single().Value);
        var hang = settings.Descendants("CollectDumpOnTestSessionHang").Single();
        Assert.Equal("90000", (string?)hang.Attribute("TestTimeout"));
        Assert.Equal("None", (string?)hang.Attribute("HangDumpType"));
        Assert.Equal("blame", (string?)hang.Ancestors("DataCollector").Single().Attribute("friendlyName"));
        Assert.Equal(parallel, settings.Descendants("ParallelizeTestCollections").Single().Value);
    }

    [Fact]
    public void The_tests_a_blame_sequence_leaves_unfinished_are_named_once_without_theory_arguments()
    {
        var sequence = XDocument.Parse("""
            <TestSequence>
              <Test Name="N.A.Done" DisplayName="N.A.Done" Completed="True" />
              <Test Name="N.A.Theory" DisplayName="N.A.Theory(n: 1)" Completed="True" />
              <Test Name="N.A.Theory(n: 2)" DisplayName="N.A.Theory(n: 2)" Completed="False" />
              <Test Name="N.B.Hangs" DisplayName="N.B.Hangs" Completed="False" />
            </TestSequence>
            """);

        Assert.Equal(["N.A.Theory", "N.B.Hangs"], BlameSequence.Unfinished(sequence));
        Assert.Empty(BlameSequence.Unfinished((XDocument?)null));
    }

    [Fact]
    public void Sequence_files_are_found_in_the_runners_subfolders_and_an_unreadable_one_names_nothing()
    {
        var folder = Directory.CreateTempSubdirectory("paxoslabs-blame-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "run"));
            File.WriteAllText(Path.Combine(folder.FullName, "run", "Sequence_1.xml"), """<TestSequence><Test Name="N.A.Hangs" Completed="False" /></TestSequence>""");
            File.WriteAllText(Path.Combine(folder.FullName, "Sequence_2.xml"), "<TestSequence><Test");
            File.WriteAllText(Path.Combine(folder.FullName, "Sequence_3.xml"), """<TestSequence><Test Name="N.A.Hangs" Completed="False" /></TestSequence>""");

            Assert.Equal(["N.A.Hangs"], BlameSequence.Unfinished(folder.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

public sealed class StageStepTests
{
    [Theory]
    [InlineData("every test reported", 0, false, false, 0, 12, StageStep.Done)]
    [InlineData("the host died between two tests, after some results", 0, false, false, 7, 5, StageStep.RunNotStarted)]
    [InlineData("the host died between tests in a one-at-a-time run", 0, false, true, 3, 1, StageStep.RunNotStarted)]
    [InlineData("the host died before its first test", 0, false, false, 7, 0, StageStep.GiveUp)]
    [InlineData("a crash while two tests ran", 2, false, false, 5, 3, StageStep.RunOneAtATime)]
    [InlineData("a crash while two tests ran, already one at a time", 2, false, true, 5, 3, StageStep.Charge)]
    [InlineData("a crash while one test ran", 1, false, false, 5, 3, StageStep.Charge)]
    [InlineData("a hang while two tests ran", 2, true, false, 5, 3, StageStep.Charge)]
    [InlineData("a hang before any result", 1, true, false, 5, 0, StageStep.Charge)]
    public void After_a_run_the_tests_left_are_run_again_charged_or_given_up_as_the_run_ended(
        string why, int running, bool hung, bool oneAtATime, int notStarted, int reported, StageStep expected)
    {
        Assert.True(StageRunner.Next(running, hung, oneAtATime, notStarted, reported) == expected, why);
    }
}

/// <summary>
/// Which tests a stage runs again after a host died: a theory only some of whose cases reported
/// (the host died during or after them, in a run where several tests ran) must run again whole, or
/// it would count as not run although nothing it ran failed.
/// </summary>
public sealed class HasResultTests
{
    private static readonly ManifestTest Theory = ScorerTests.Test("Ns.QF.Theory", "1.4", 2, cases: 4);
    private static readonly ManifestTest Fact = ScorerTests.Test("Ns.QF.Fact", "1.4", 2);

    private static Dictionary<string, List<TestResult>> Reported(string name, params TestResult[] results) =>
        new(StringComparer.Ordinal) { [name] = [.. results] };

    [Fact]
    public void A_theory_with_some_passing_cases_reported_has_no_result_yet()
    {
        var results = Reported(Theory.Name, ScorerTests.Passed(Theory.Name), ScorerTests.Passed(Theory.Name));
        Assert.False(StageRunner.HasResult(Theory, results), "2 of 4 cases passed: the theory must run again whole");
    }

    [Fact]
    public void A_theory_with_every_case_reported_has_its_result()
    {
        var results = Reported(Theory.Name, [.. Enumerable.Range(0, 4).Select(_ => ScorerTests.Passed(Theory.Name))]);
        Assert.True(StageRunner.HasResult(Theory, results));
    }

    [Fact]
    public void A_failed_case_decides_a_theory_at_once()
    {
        var results = Reported(Theory.Name, ScorerTests.Failed(Theory.Name));
        Assert.True(StageRunner.HasResult(Theory, results), "a failed case fails the theory whatever the other cases do");
    }

    [Fact]
    public void A_fact_has_its_result_once_reported_and_not_before()
    {
        Assert.True(StageRunner.HasResult(Fact, Reported(Fact.Name, ScorerTests.Passed(Fact.Name))));
        Assert.False(StageRunner.HasResult(Fact, Reported(Theory.Name, ScorerTests.Passed(Theory.Name))));
    }
}

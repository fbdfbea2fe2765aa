using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Tests.Grading;

public class TrxResultsTests
{
    private const string Trx = """
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun id="1" name="run" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
            <UnitTestResult testId="a" testName="Ns.QFTests.ReadQF_is_done(n: 1, replies: 1)" outcome="Passed" />
            <UnitTestResult testId="a" testName="Ns.QFTests.ReadQF_is_done(n: 3, replies: &quot;(two)&quot;)" outcome="Failed">
              <Output><ErrorInfo><Message>Assert.True() Failure</Message></ErrorInfo></Output>
            </UnitTestResult>
            <UnitTestResult testId="b" testName="Ns.CallTests.Late_replies_are_dropped" outcome="Passed" duration="00:00:01.5000000" />
            <UnitTestResult testId="c" testName="Ns.CallTests.Skipped" outcome="NotExecuted" duration="soon" />
          </Results>
          <TestDefinitions>
            <UnitTest name="Ns.CallTests.Late_replies_are_dropped" id="b" />
          </TestDefinitions>
        </TestRun>
        """;

    [Fact]
    public void Every_result_is_read_with_theory_arguments_stripped()
    {
        var results = TrxResults.Parse(Trx);

        Assert.Equal(
            [
                new TestResult("Ns.QFTests.ReadQF_is_done", "Passed"),
                new TestResult("Ns.QFTests.ReadQF_is_done", "Failed", "Assert.True() Failure"),
                new TestResult("Ns.CallTests.Late_replies_are_dropped", "Passed") { Duration = TimeSpan.FromSeconds(1.5) },
                new TestResult("Ns.CallTests.Skipped", "NotExecuted"), // an unreadable duration is zero
            ],
            results);
        Assert.Equal([true, false, true, false], results.Select(r => r.Passed));
    }

    [Theory]
    [InlineData("A.B.C", "A.B.C")]
    [InlineData("A.B.C(n: 1)", "A.B.C")]
    [InlineData("A.B.C(s: \"x(y)\", n: 2)", "A.B.C")]
    [InlineData("A.Outer+Inner.M(x: 1)", "A.Outer+Inner.M")]
    public void The_test_name_ends_before_the_first_parenthesis(string testName, string expected) =>
        Assert.Equal(expected, TrxResults.TestName(testName));

    [Fact]
    public void A_run_without_results_has_none() =>
        Assert.Empty(TrxResults.Parse("<TestRun xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\"><Results /></TestRun>"));

    [Theory]
    [InlineData("<TestRun xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\"><Results><UnitTestResult testName=\"A.B\" outc")]
    [InlineData("<TestRun><Results /></TestRun>")]
    [InlineData("not xml at all")]
    public void Text_that_is_not_a_whole_TRX_document_is_an_error(string text)
    {
        var error = Assert.Throws<GraderException>(() => TrxResults.Parse(text));

        Assert.StartsWith("not a TRX file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_a_file_names_it_in_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"paxoslabs-{Guid.NewGuid():N}.trx");
        File.WriteAllText(path, "<TestRun");
        try
        {
            var error = Assert.Throws<GraderException>(() => TrxResults.Read(path));
            Assert.StartsWith($"{path}: not a TRX file", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

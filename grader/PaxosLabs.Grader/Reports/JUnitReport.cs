using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using PaxosLabs.Grader.Grading;
using static System.FormattableString;

namespace PaxosLabs.Grader.Reports;

/// <summary>
/// JUnit XML (<c>junit.xml</c>): one <c>testsuite</c> per stage, one <c>testcase</c> per hidden
/// test (named with its task and points). A failed test has a <c>failure</c>; a test that timed out
/// or has no result has an <c>error</c>. A submission that does not compile is one suite
/// <c>build</c> with one failed case.
/// </summary>
public static class JUnitReport
{
    public const string FileName = "junit.xml";

    public static string Graded(string label, Score score)
    {
        var suites = score.Stages.Select(stage =>
        {
            var tests = stage.Tasks.SelectMany(t => t.Tests).ToList();
            return new XElement("testsuite",
                new XAttribute("name", Invariant($"stage-{stage.Stage}")),
                new XAttribute("tests", tests.Count),
                new XAttribute("failures", tests.Count(t => t.Outcome == TestOutcome.Failed)),
                new XAttribute("errors", tests.Count(t => t.Outcome is not (TestOutcome.Passed or TestOutcome.Failed))),
                new XAttribute("skipped", 0),
                new XElement("properties",
                    Property("points", stage.Earned),
                    Property("max_points", stage.Possible),
                    Property("timed_out", stage.TimedOut ? "true" : "false")),
                tests.Select(Case));
        });
        var all = score.Tests.ToList();
        return Document(new XElement("testsuites",
            new XAttribute("name", $"hidden tests: {label}"),
            new XAttribute("tests", all.Count),
            new XAttribute("failures", all.Count(t => t.Outcome == TestOutcome.Failed)),
            new XAttribute("errors", all.Count(t => t.Outcome is not (TestOutcome.Passed or TestOutcome.Failed))),
            suites));
    }

    public static string DoesNotCompile(string label, IReadOnlyList<string> errors) =>
        Document(new XElement("testsuites",
            new XAttribute("name", $"hidden tests: {label}"),
            new XAttribute("tests", 1),
            new XAttribute("failures", 1),
            new XAttribute("errors", 0),
            new XElement("testsuite",
                new XAttribute("name", "build"),
                new XAttribute("tests", 1),
                new XAttribute("failures", 1),
                new XAttribute("errors", 0),
                new XAttribute("skipped", 0),
                new XElement("testcase",
                    new XAttribute("classname", "build"),
                    new XAttribute("name", "the submission compiles"),
                    new XElement("failure",
                        new XAttribute("message", "does not compile"),
                        new XAttribute("type", "does not compile"),
                        XmlSafe(string.Join('\n', errors)))))));

    private static XElement Case(TestScore test)
    {
        var element = new XElement("testcase",
            new XAttribute("classname", TestOutput.ClassName(test.Test.Name)),
            new XAttribute("name", Invariant($"{test.Test.Name[(test.Test.Name.LastIndexOf('.') + 1)..]} (task {test.Test.Task}, {test.Test.Points} pt)")));
        var kind = test.Outcome switch
        {
            TestOutcome.Passed => null,
            TestOutcome.Failed => "failure",
            _ => "error",
        };
        if (kind is not null)
        {
            var output = XmlSafe(TestOutput.Of(test));
            element.Add(new XElement(kind,
                new XAttribute("message", output.Split('\n')[0]),
                new XAttribute("type", ScoreReport.Describe(test.Outcome)),
                output));
        }

        return element;
    }

    /// <summary>The text without the characters XML cannot hold (terminal colour codes in a test's message, say).</summary>
    public static string XmlSafe(string text) =>
        text.All(XmlConvert.IsXmlChar) ? text : string.Concat(text.Where(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c)));

    private static XElement Property(string name, object value) =>
        new("property", new XAttribute("name", name), new XAttribute("value", Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));

    private static string Document(XElement root) =>
        new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root + "\n";
}

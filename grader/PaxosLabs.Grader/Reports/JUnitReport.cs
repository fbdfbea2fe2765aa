using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using PaxosLabs.Grader.Grading;
using static System.FormattableString;

namespace PaxosLabs.Grader.Reports;

/// <summary>
/// JUnit XML (<c>junit.xml</c>) in the strict Ant form (the schema derived from Ant's
/// XMLJUnitResultFormatter): a bare <c>testsuites</c> root; one <c>testsuite</c> per stage with its
/// <c>id</c>, <c>package</c>, <c>hostname</c>, <c>timestamp</c> (UTC, no zone) and <c>time</c>, its
/// points as properties, and empty <c>system-out</c>/<c>system-err</c>; one <c>testcase</c> per hidden
/// test (named with its task and points) with its <c>time</c>. A failed test has a <c>failure</c>; a
/// test that timed out or has no result has an <c>error</c>. A submission that does not compile is
/// one suite <c>build</c> with one failed case.
/// </summary>
public static class JUnitReport
{
    public const string FileName = "junit.xml";

    /// <summary>The <c>package</c> of every suite.</summary>
    public const string Package = "PaxosLabs.HiddenTests";

    /// <param name="writtenAt">The timestamp of a stage that did not run (default: now).</param>
    public static string Graded(string label, Score score, DateTimeOffset? writtenAt = null)
    {
        var now = writtenAt ?? DateTimeOffset.UtcNow;
        var suites = score.Stages.Select((stage, index) =>
        {
            var tests = stage.Tasks.SelectMany(t => t.Tests).ToList();
            return Suite(
                index,
                Invariant($"stage-{stage.Stage}"),
                stage.Started ?? now,
                stage.Elapsed,
                tests.Count,
                tests.Count(t => t.Outcome == TestOutcome.Failed),
                tests.Count(t => t.Outcome is not (TestOutcome.Passed or TestOutcome.Failed)),
                new XElement("properties",
                    Property("implementation", label),
                    Property("points", stage.Earned),
                    Property("max_points", stage.Possible),
                    Property("timed_out", stage.TimedOut ? "true" : "false")),
                tests.Select(Case));
        });
        return Document(new XElement("testsuites", suites));
    }

    public static string DoesNotCompile(string label, IReadOnlyList<string> errors, DateTimeOffset? writtenAt = null) =>
        Document(new XElement("testsuites",
            Suite(0, "build", writtenAt ?? DateTimeOffset.UtcNow, TimeSpan.Zero, tests: 1, failures: 1, errors: 0,
                new XElement("properties", Property("implementation", label)),
                [
                    new XElement("testcase",
                        new XAttribute("name", "the submission compiles"),
                        new XAttribute("classname", "build"),
                        new XAttribute("time", Seconds(TimeSpan.Zero)),
                        new XElement("failure",
                            new XAttribute("message", "does not compile"),
                            new XAttribute("type", "does not compile"),
                            XmlSafe(string.Join('\n', errors)))),
                ])));

    /// <summary>A suite with the attributes and elements the strict schema requires, in its order.</summary>
    private static XElement Suite(
        int id, string name, DateTimeOffset started, TimeSpan time, int tests, int failures, int errors, XElement properties, IEnumerable<XElement> cases) =>
        new("testsuite",
            new XAttribute("name", name),
            new XAttribute("timestamp", started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)),
            new XAttribute("hostname", "localhost"),
            new XAttribute("tests", tests),
            new XAttribute("failures", failures),
            new XAttribute("errors", errors),
            new XAttribute("skipped", 0),
            new XAttribute("time", Seconds(time)),
            new XAttribute("package", Package),
            new XAttribute("id", id),
            properties,
            cases,
            new XElement("system-out", ""),
            new XElement("system-err", ""));

    /// <summary>Seconds with at most three decimals, as the schema's time type allows.</summary>
    public static string Seconds(TimeSpan time) => Math.Max(0, time.TotalSeconds).ToString("0.000", CultureInfo.InvariantCulture);

    private static XElement Case(TestScore test)
    {
        var element = new XElement("testcase",
            new XAttribute("name", Invariant($"{test.Test.Name[(test.Test.Name.LastIndexOf('.') + 1)..]} (task {test.Test.Task}, {test.Test.Points} pt)")),
            new XAttribute("classname", TestOutput.ClassName(test.Test.Name)),
            new XAttribute("time", Seconds(test.Duration)));
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

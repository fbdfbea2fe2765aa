using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace PaxosLabs.Grader.Grading;

/// <summary>One result of a TRX file: the test's <c>Namespace.Class.Method</c> and the runner's outcome.</summary>
/// <param name="Name">The test name without theory arguments.</param>
/// <param name="Outcome">As the runner wrote it: Passed, Failed, NotExecuted, Timeout, Aborted, …</param>
/// <param name="Message">The failure message (<c>ErrorInfo/Message</c>), if the runner wrote one.</param>
public sealed record TestResult(string Name, string Outcome, string? Message = null)
{
    public bool Passed => string.Equals(Outcome, "Passed", StringComparison.OrdinalIgnoreCase);

    /// <summary>How long the runner says the test took (<c>duration</c>); zero when it did not say.</summary>
    public TimeSpan Duration { get; init; }
}

/// <summary>
/// Reads the results of a test run from its TRX file (the VSTest logger's XML). The score comes
/// from these files only, never from console output, which the code under test can write to.
/// </summary>
public static class TrxResults
{
    public static readonly XNamespace Namespace = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>Every <c>UnitTestResult</c> of the document, in document order.</summary>
    /// <exception cref="GraderException">The text is not a TRX document.</exception>
    public static IReadOnlyList<TestResult> Parse(string xml)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml);
        }
        catch (XmlException e)
        {
            throw new GraderException($"not a TRX file: {e.Message}", e);
        }

        if (document.Root?.Name != Namespace + "TestRun")
        {
            throw new GraderException($"not a TRX file: the root element is {document.Root?.Name}, not TestRun in {Namespace}");
        }

        return
        [
            .. document.Descendants(Namespace + "UnitTestResult").Select(r => new TestResult(
                TestName((string?)r.Attribute("testName") ?? ""),
                (string?)r.Attribute("outcome") ?? "",
                (string?)r.Element(Namespace + "Output")?.Element(Namespace + "ErrorInfo")?.Element(Namespace + "Message"))
            {
                Duration = TimeSpan.TryParse((string?)r.Attribute("duration"), CultureInfo.InvariantCulture, out var duration) && duration >= TimeSpan.Zero ? duration : TimeSpan.Zero,
            }),
        ];
    }

    /// <summary>The results in the file at <paramref name="path"/>.</summary>
    /// <exception cref="GraderException">The file is not a TRX document (for example, cut short).</exception>
    public static IReadOnlyList<TestResult> Read(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (GraderException e)
        {
            throw new GraderException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// <c>Namespace.Class.Method</c> of an xunit test name: a theory case is named
    /// <c>Namespace.Class.Method(n: 1, …)</c>, so everything from the first <c>(</c> goes.
    /// </summary>
    public static string TestName(string testName)
    {
        var open = testName.IndexOf('(', StringComparison.Ordinal);
        return (open < 0 ? testName : testName[..open]).Trim();
    }
}

using System.Globalization;
using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Reports;

/// <summary>What the per-test reports (Gradescope, JUnit) say about one test.</summary>
public static class TestOutput
{
    /// <summary>Messages are cut here: a test's output is feedback, not a log.</summary>
    public const int MaxLength = 4000;

    /// <summary><c>Class.Method</c> of <c>Namespace.Class.Method</c>.</summary>
    public static string ShortName(string name)
    {
        var parts = name.Split('.');
        return parts.Length >= 2 ? $"{parts[^2]}.{parts[^1]}" : name;
    }

    /// <summary><c>Namespace.Class</c> of <c>Namespace.Class.Method</c>.</summary>
    public static string ClassName(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot < 0 ? "" : name[..dot];
    }

    /// <summary>Why the test earned nothing, for the student; empty when it passed.</summary>
    public static string Of(TestScore test) => Cut(test.Outcome switch
    {
        TestOutcome.Passed => "",
        TestOutcome.Failed => test.Message ?? "failed",
        TestOutcome.TimedOut => string.Create(CultureInfo.InvariantCulture,
            $"timed out: this test did not finish within the per-test bound, or stage {test.Test.Stage} reached its time bound first (look for an infinite loop, a deadlock or a wait that never ends; run the visible tests of stage {test.Test.Stage} to see where)"),
        TestOutcome.Crashed => "crashed: the test process died while this test ran (a stack overflow, an Environment.Exit, or an exception thrown on a thread of your own); the other tests ran on in a new process",
        _ => "not run: no result was recorded for this test (the test process crashed or exited, or its results failed the grader's checks)",
    });

    public static string Cut(string text) => text.Length <= MaxLength ? text : text[..MaxLength] + " [cut]";
}

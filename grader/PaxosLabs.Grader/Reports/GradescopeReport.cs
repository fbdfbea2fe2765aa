using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Reports;

/// <summary>
/// Gradescope's autograder <c>results.json</c>: the score, one entry per hidden test (its
/// <c>number</c> is the task id such as <c>4.2</c>, its <c>tags</c> name the stage and the task),
/// the test's visibility, and the ignored files and checks as the top-level output.
/// </summary>
public static class GradescopeReport
{
    public const string FileName = "results.json";

    /// <summary>Of the whole result: shown when the instructor publishes grades (test entries may override it).</summary>
    public const string DefaultVisibility = "after_published";

    /// <summary>The grader's own console output is for staff.</summary>
    public const string StdoutVisibility = "hidden";

    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Gradescope's visibility for a <c>PaxosLabs.Grading.Visibility</c> name.</summary>
    public static string Visibility(string kitVisibility) => kitVisibility switch
    {
        "Visible" => "visible",
        "Hidden" => "hidden",
        "AfterDueDate" => "after_due_date",
        _ => "after_published",
    };

    public static string Graded(Score score, GradeExtras extras) => Write(json =>
    {
        json.WriteNumber("score", score.Total);
        json.WriteString("output", Summary($"{ScoreReport.ScoreLine(score)}\n", extras));
        Common(json);
        json.WriteStartArray("tests");
        foreach (var test in score.Tests)
        {
            json.WriteStartObject();
            json.WriteString("name", TestOutput.ShortName(test.Test.Name));
            json.WriteString("number", test.Test.Task.ToString());
            json.WriteNumber("score", test.Earned);
            json.WriteNumber("max_score", test.Test.Points);
            json.WriteString("status", test.Outcome == TestOutcome.Passed ? "passed" : "failed");
            json.WriteStartArray("tags");
            json.WriteStringValue($"stage-{test.Test.Stage}");
            json.WriteStringValue($"task-{test.Test.Task}");
            json.WriteEndArray();
            json.WriteString("visibility", Visibility(test.Test.Visibility));
            json.WriteString("output", TestOutput.Of(test));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    /// <summary>Score 0 and one visible entry with the compiler's errors, so the student sees why.</summary>
    public static string DoesNotCompile(IReadOnlyList<string> errors, GradeExtras extras) => Write(json =>
    {
        json.WriteNumber("score", 0);
        json.WriteString("output", Summary("score: 0 (does not compile)\n", extras));
        Common(json);
        json.WriteStartArray("tests");
        json.WriteStartObject();
        json.WriteString("name", "build: the submission does not compile");
        json.WriteNumber("score", 0);
        json.WriteNumber("max_score", 0);
        json.WriteString("status", "failed");
        json.WriteString("visibility", "visible");
        json.WriteString("output", TestOutput.Cut(string.Join('\n', errors)));
        json.WriteEndObject();
        json.WriteEndArray();
    });

    private static void Common(Utf8JsonWriter json)
    {
        json.WriteString("visibility", DefaultVisibility);
        json.WriteString("stdout_visibility", StdoutVisibility);
    }

    private static string Summary(string first, GradeExtras extras) => first + (extras.IsEmpty ? "" : "\n" + extras.Text());

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}

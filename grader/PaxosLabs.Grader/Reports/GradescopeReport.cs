using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Reports;

/// <summary>
/// Gradescope's autograder <c>results.json</c>: the score, the grade's wall time, one entry per
/// hidden test (its <c>number</c> is the task id such as <c>4.2</c>, its <c>tags</c> name the stage
/// and the task), the visibilities, and the ignored files and checks as the top-level output.
/// </summary>
public static class GradescopeReport
{
    public const string FileName = "results.json";

    /// <summary>The grader's own console output is for staff.</summary>
    public const string StdoutVisibility = "hidden";

    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="score">The score.</param>
    /// <param name="extras">Ignored files, missing files and check notes, for the top-level output.</param>
    /// <param name="visibility">
    /// One of <see cref="GradescopeVisibility.All"/>: of the whole result, and of every test whose
    /// <c>[Graded]</c> names no visibility of its own.
    /// </param>
    /// <param name="executionTime">The wall time of the grade.</param>
    public static string Graded(Score score, GradeExtras extras, string visibility, TimeSpan executionTime) => Write(json =>
    {
        json.WriteNumber("score", score.Total);
        json.WriteString("output", Summary($"{ScoreReport.ScoreLine(score)}\n", extras));
        Common(json, visibility, executionTime);
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
            json.WriteString("visibility", test.Test.Visibility is { } own ? GradescopeVisibility.FromKit(own) : visibility);
            json.WriteString("output", TestOutput.Of(test));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    /// <summary>
    /// Score 0 and one visible entry with the compiler's errors, so the student sees why at once
    /// (they tell nothing about the hidden tests); the rest has <paramref name="visibility"/>.
    /// </summary>
    public static string DoesNotCompile(IReadOnlyList<string> errors, GradeExtras extras, string visibility, TimeSpan executionTime) => Write(json =>
    {
        json.WriteNumber("score", 0);
        json.WriteString("output", Summary("score: 0 (does not compile)\n", extras));
        Common(json, visibility, executionTime);
        json.WriteStartArray("tests");
        json.WriteStartObject();
        json.WriteString("name", "build: the submission does not compile");
        json.WriteNumber("score", 0);
        json.WriteNumber("max_score", 0);
        json.WriteString("status", "failed");
        json.WriteString("visibility", GradescopeVisibility.Visible);
        json.WriteString("output", TestOutput.Cut(string.Join('\n', errors)));
        json.WriteEndObject();
        json.WriteEndArray();
    });

    private static void Common(Utf8JsonWriter json, string visibility, TimeSpan executionTime)
    {
        if (!GradescopeVisibility.IsValid(visibility))
        {
            throw new ArgumentException($"not a Gradescope visibility: '{visibility}'", nameof(visibility));
        }

        // Whole seconds, as Gradescope's own example has it.
        json.WriteNumber("execution_time", (long)Math.Round(Math.Max(0, executionTime.TotalSeconds)));
        json.WriteString("visibility", visibility);
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

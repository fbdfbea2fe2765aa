using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using static System.FormattableString;

namespace PaxosLabs.Grader.Grading;

/// <summary>
/// The score as a console table, a Markdown table (<c>score.md</c>, also the GitHub step summary)
/// and JSON (<c>score.json</c>). The Markdown names no test, so it can be shown to students; the
/// console and the JSON list every test.
/// </summary>
public static class ScoreReport
{
    public const string MarkdownFile = "score.md";
    public const string JsonFile = "score.json";

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file, not HTML: keep '+' and quotes readable
    };

    public static string Describe(TestOutcome outcome) => outcome switch
    {
        TestOutcome.Passed => "passed",
        TestOutcome.Failed => "failed",
        TestOutcome.TimedOut => "timed out",
        TestOutcome.Crashed => "crashed",
        TestOutcome.NotRun => "not run",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>The final line of every report.</summary>
    public static string ScoreLine(Score score) => Invariant($"score: {score.Total} / {score.Max}");

    /// <summary>Per stage and task: tests passed and points; then the tests that did not pass; then the score line.</summary>
    public static void WriteConsole(Score score, TextWriter output)
    {
        var rows = new List<string[]> { new[] { "stage", "task", "tests passed", "points" } };
        foreach (var stage in score.Stages)
        {
            var stageName = Invariant($"{stage.Stage}");
            foreach (var task in stage.Tasks)
            {
                rows.Add([stageName, task.Task.ToString(), Ratio(task.Passed, task.Tests.Count), Ratio(task.Earned, task.Possible)]);
            }

            rows.Add([stageName, stage.TimedOut ? "all (timed out)" : "all", Ratio(stage.Passed, stage.Tests), Ratio(stage.Earned, stage.Possible)]);
        }

        rows.Add(["total", "", Ratio(score.Passed, score.TestCount), Ratio(score.Total, score.Max)]);
        WriteTable(output, rows, rightAligned: [false, false, true, true]);

        var missed = score.Tests.Where(t => t.Outcome != TestOutcome.Passed).ToList();
        if (missed.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("not passed:");
            var width = missed.Max(t => Describe(t.Outcome).Length);
            foreach (var test in missed)
            {
                output.WriteLine(Invariant($"  {Describe(test.Outcome).PadRight(width)}  {test.Test.Task,-5} {test.Test.Points,2} pt  {test.Test.Name}"));
            }
        }

        output.WriteLine();
        output.WriteLine(ScoreLine(score));
    }

    public static string Markdown(string implementation, Score score, TimeSpan stageTimeout, GradeExtras? extras = null)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### Hidden tests: {implementation}\n\n");
        text.Append("| stage | task | tests passed | points |\n");
        text.Append("| ---: | :--- | ---: | ---: |\n");
        foreach (var stage in score.Stages)
        {
            foreach (var task in stage.Tasks)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {stage.Stage} | {task.Task} | {Ratio(task.Passed, task.Tests.Count)} | {Ratio(task.Earned, task.Possible)} |\n");
            }

            var label = stage.TimedOut ? "**all** (timed out)" : "**all**";
            text.Append(CultureInfo.InvariantCulture, $"| {stage.Stage} | {label} | **{Ratio(stage.Passed, stage.Tests)}** | **{Ratio(stage.Earned, stage.Possible)}** |\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"| | **total** | **{Ratio(score.Passed, score.TestCount)}** | **{Ratio(score.Total, score.Max)}** |\n\n");
        foreach (var stage in score.Stages.Where(s => s.TimedOut))
        {
            text.Append(CultureInfo.InvariantCulture, $"Stage {stage.Stage} was stopped at its time bound ({stageTimeout.TotalSeconds:0.#} s); its tests without a result count as timed out.\n\n");
        }

        text.Append((extras ?? GradeExtras.None).Markdown());
        text.Append(CultureInfo.InvariantCulture, $"**{ScoreLine(score)}**\n");
        return text.ToString();
    }

    public static string Json(string implementation, Score score, GradeExtras? extras = null) => WriteJson(json =>
    {
        json.WriteString("implementation", implementation);
        json.WriteBoolean("compiles", true);
        json.WriteNumber("total", score.Total);
        json.WriteNumber("max", score.Max);
        json.WriteStartArray("stages");
        foreach (var stage in score.Stages)
        {
            json.WriteStartObject();
            json.WriteNumber("stage", stage.Stage);
            json.WriteBoolean("timedOut", stage.TimedOut);
            json.WriteNumber("earned", stage.Earned);
            json.WriteNumber("possible", stage.Possible);
            json.WriteNumber("seconds", Math.Round(stage.Elapsed.TotalSeconds, 1));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("tests");
        foreach (var test in score.Tests)
        {
            json.WriteStartObject();
            json.WriteString("name", test.Test.Name);
            json.WriteString("task", test.Test.Task.ToString());
            json.WriteNumber("stage", test.Test.Stage);
            json.WriteNumber("points", test.Test.Points);
            json.WriteNumber("earned", test.Earned);
            json.WriteString("outcome", Describe(test.Outcome));
            json.WriteString("visibility", test.Test.Visibility);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        (extras ?? GradeExtras.None).WriteJson(json);
    });

    /// <summary>The console lines for an implementation the hidden tests do not compile against.</summary>
    public static void WriteCompileFailure(IReadOnlyList<string> errors, TextWriter output)
    {
        output.WriteLine("does not compile:");
        foreach (var error in errors)
        {
            output.WriteLine($"  {error}");
        }

        output.WriteLine();
        output.WriteLine("score: 0 (does not compile)");
    }

    public static string CompileFailureMarkdown(string implementation, IReadOnlyList<string> errors, GradeExtras? extras = null)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### Hidden tests: {implementation}\n\n");
        text.Append("The hidden tests **do not compile** against this implementation:\n\n```\n");
        foreach (var error in errors)
        {
            text.Append(error.Replace("```", "'''", StringComparison.Ordinal)).Append('\n');
        }

        text.Append("```\n\n");
        text.Append((extras ?? GradeExtras.None).Markdown());
        text.Append("**score: 0 (does not compile)**\n");
        return text.ToString();
    }

    public static string CompileFailureJson(string implementation, IReadOnlyList<string> errors, GradeExtras? extras = null) => WriteJson(json =>
    {
        json.WriteString("implementation", implementation);
        json.WriteBoolean("compiles", false);
        json.WriteNumber("total", 0);
        json.WriteNull("max"); // unknown: the tests that would say it did not build
        json.WriteStartArray("errors");
        foreach (var error in errors)
        {
            json.WriteStringValue(error);
        }

        json.WriteEndArray();
        json.WriteStartArray("tests");
        json.WriteEndArray();
        (extras ?? GradeExtras.None).WriteJson(json);
    });

    /// <summary>The one line that says the machine, not the submission, stopped the grading.</summary>
    public static string NotGradedLine(string why) => $"could not be graded: {why} (not the submission's doing: grade it again)";

    public static string NotGradedMarkdown(string implementation, string why) =>
        $"### Hidden tests: {implementation}\n\n**{NotGradedLine(why).Replace("*", "\\*", StringComparison.Ordinal)}**\n";

    public static string NotGradedJson(string implementation, string why, GradeExtras? extras = null) => WriteJson(json =>
    {
        json.WriteString("implementation", implementation);
        json.WriteNull("compiles"); // unknown: the build did not finish, or failed for another reason
        json.WriteNull("total");
        json.WriteNull("max");
        json.WriteString("notGraded", why);
        json.WriteStartArray("tests");
        json.WriteEndArray();
        (extras ?? GradeExtras.None).WriteJson(json);
    });

    /// <summary>
    /// Writes <c>score.md</c> and <c>score.json</c> into <paramref name="outDirectory"/>, and appends
    /// the Markdown to <paramref name="stepSummaryPath"/> (GitHub's <c>GITHUB_STEP_SUMMARY</c>) when set.
    /// </summary>
    public static void Save(string outDirectory, string markdown, string json, string? stepSummaryPath)
    {
        Directory.CreateDirectory(outDirectory);
        File.WriteAllText(Path.Combine(outDirectory, MarkdownFile), markdown);
        File.WriteAllText(Path.Combine(outDirectory, JsonFile), json);
        if (!string.IsNullOrEmpty(stepSummaryPath))
        {
            File.AppendAllText(stepSummaryPath, markdown + "\n");
        }
    }

    private static string WriteJson(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteTable(TextWriter output, List<string[]> rows, bool[] rightAligned)
    {
        var widths = Enumerable.Range(0, rightAligned.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            var cells = row.Select((cell, c) => rightAligned[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            output.WriteLine(string.Join("  ", cells).TrimEnd());
        }
    }

    private static string Ratio(int part, int whole) => Invariant($"{part} / {whole}");
}

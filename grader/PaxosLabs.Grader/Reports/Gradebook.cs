using System.Globalization;
using System.Text;
using PaxosLabs.Grader.Grading;
using static System.FormattableString;

namespace PaxosLabs.Grader.Reports;

/// <summary>One student's line of the gradebook.</summary>
/// <param name="Student">The submission folder's name.</param>
/// <param name="Result">The grading result, or null when grading failed with <paramref name="Error"/>.</param>
public sealed record GradebookRow(string Student, GradeResult? Result, string? Error = null)
{
    public string Outcome => Error is not null ? $"error: {Error}"
        : Result?.Outcome switch
        {
            DoesNotCompile => "does not compile",
            Graded { Notes.Count: > 0 } graded => $"graded ({graded.Notes.Count} check note(s))",
            _ => "graded",
        };
}

/// <summary>
/// <c>gradebook.csv</c>: <c>student,score,max,stage-1,…,stage-N,outcome,ignored_files</c>, one row per
/// submission (RFC 4180 quoting; a cell that a spreadsheet would run as a formula is prefixed with <c>'</c>).
/// </summary>
public static class Gradebook
{
    public const string FileName = "gradebook.csv";

    public static string Csv(IReadOnlyList<GradebookRow> rows)
    {
        var scored = rows.Select(r => r.Result?.Outcome).OfType<Graded>().Select(g => g.Score).FirstOrDefault();
        var stages = scored?.Stages.Select(s => s.Stage).ToList() ?? [];
        var max = scored?.Max;

        var text = new StringBuilder();
        Line(text, ["student", "score", "max", .. stages.Select(s => Invariant($"stage-{s}")), "outcome", "ignored_files"]);
        foreach (var row in rows)
        {
            var score = (row.Result?.Outcome as Graded)?.Score;
            var byStage = stages.Select(s => score?.Stages.FirstOrDefault(x => x.Stage == s)?.Earned ?? 0);
            Line(text,
            [
                row.Student,
                row.Error is null ? Invariant($"{row.Result?.Total ?? 0}") : "",
                max is { } m ? Invariant($"{m}") : "",
                .. byStage.Select(p => row.Error is null ? Invariant($"{p}") : ""),
                row.Outcome,
                Invariant($"{row.Result?.Extras.Ignored.Count ?? 0}"),
            ]);
        }

        return text.ToString();
    }

    /// <summary>A CSV cell: quoted when it holds a comma, quote or line break; formula-like text made inert.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static void Line(StringBuilder text, IEnumerable<string> cells) => text.Append(string.Join(',', cells.Select(Cell))).Append("\r\n");
}

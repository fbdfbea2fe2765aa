using System.Globalization;
using System.Text;
using System.Text.Json;
using PaxosLabs.Grader.Grading;
using static System.FormattableString;

namespace PaxosLabs.Grader.Reports;

/// <summary>What a student earned in one stage.</summary>
public sealed record StagePoints(int Stage, int Earned);

/// <summary>
/// One student's line of the gradebook, as plain data, so the gradebooks of shards can be merged
/// into exactly the one a single run would write.
/// </summary>
/// <param name="Student">The submission folder's name.</param>
/// <param name="Score">The points; 0 when it does not compile; null when it could not be graded (an error, or the machine stopped it).</param>
/// <param name="Max">The grader's maximum; null when it does not compile or could not be graded.</param>
/// <param name="Stages">Points per stage (empty unless graded).</param>
/// <param name="Outcome"><c>graded</c>, <c>graded (N check note(s))</c>, <c>does not compile</c>, <c>could not be graded: why</c> (the machine) or <c>error: why</c> (the submission or the kit).</param>
/// <param name="IgnoredFiles">How many files of the submission were ignored.</param>
public sealed record GradebookRow(string Student, int? Score, int? Max, IReadOnlyList<StagePoints> Stages, string Outcome, int IgnoredFiles)
{
    /// <summary>It could not be graded (the batch's exit code is 1).</summary>
    public bool IsError => Score is null;

    public static GradebookRow Of(string student, GradeResult result) => result.Outcome switch
    {
        Graded graded => new(
            student,
            graded.Score.Total,
            graded.Score.Max,
            [.. graded.Score.Stages.Select(s => new StagePoints(s.Stage, s.Earned))],
            graded.Notes.Count > 0 ? Invariant($"graded ({graded.Notes.Count} check note(s))") : "graded",
            result.Extras.Ignored.Count),
        NotGraded notGraded => new(student, null, null, [], $"{NotGradedOutcome}: {notGraded.Why.ReplaceLineEndings(" ")}", result.Extras.Ignored.Count),
        _ => new(student, 0, null, [], "does not compile", result.Extras.Ignored.Count),
    };

    /// <summary>The start of the outcome of a submission the machine could not grade (a batch grades it again once).</summary>
    public const string NotGradedOutcome = "could not be graded";

    /// <summary>The machine stopped its grading: worth grading again.</summary>
    public bool IsNotGraded => Outcome.StartsWith(NotGradedOutcome, StringComparison.Ordinal);

    public static GradebookRow Failed(string student, string error) => new(student, null, null, [], $"error: {error.ReplaceLineEndings(" ")}", 0);
}

/// <summary>
/// <c>gradebook.csv</c>: <c>student,score,max,stage-1,…,stage-N,outcome,ignored_files</c>, one row per
/// submission in the order of the student folders' names (RFC 4180 quoting; a cell that a spreadsheet
/// would run as a formula is prefixed with <c>'</c>); <c>gradebook.json</c>: the same rows as data,
/// which <c>merge</c> reads; and a Markdown table for a CI step summary.
/// </summary>
public static class Gradebook
{
    public const string FileName = "gradebook.csv";

    public const string DataFile = "gradebook.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The rows in gradebook order: by student folder name, ordinal.</summary>
    public static IReadOnlyList<GradebookRow> Sorted(IEnumerable<GradebookRow> rows) => [.. rows.OrderBy(r => r.Student, StringComparer.Ordinal)];

    public static string Csv(IReadOnlyList<GradebookRow> rows)
    {
        var stages = rows.SelectMany(r => r.Stages).Select(s => s.Stage).Distinct().Order().ToList();
        var max = rows.Select(r => r.Max).FirstOrDefault(m => m is not null);

        var text = new StringBuilder();
        Line(text, ["student", "score", "max", .. stages.Select(s => Invariant($"stage-{s}")), "outcome", "ignored_files"]);
        foreach (var row in rows)
        {
            Line(text,
            [
                row.Student,
                row.Score is { } score ? Invariant($"{score}") : "",
                max is { } m ? Invariant($"{m}") : "",
                .. stages.Select(s => row.Score is null ? "" : Invariant($"{row.Stages.FirstOrDefault(x => x.Stage == s)?.Earned ?? 0}")),
                row.Outcome,
                Invariant($"{row.IgnoredFiles}"),
            ]);
        }

        return text.ToString();
    }

    /// <summary>A step summary: one line per student with the score and the outcome.</summary>
    public static string Markdown(IReadOnlyList<GradebookRow> rows)
    {
        var max = rows.Select(r => r.Max).FirstOrDefault(m => m is not null);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"## Gradebook: {rows.Count} submission(s), {rows.Count(r => r.IsError)} not graded\n\n");
        text.Append("| student | score | outcome |\n| --- | ---: | --- |\n");
        foreach (var row in rows)
        {
            var score = row.Score is { } s ? (max is { } m ? Invariant($"{s} / {m}") : Invariant($"{s}")) : "—";
            text.Append(CultureInfo.InvariantCulture, $"| {MarkdownCell(row.Student)} | {score} | {MarkdownCell(row.Outcome)} |\n");
        }

        return text.ToString();
    }

    /// <summary>Writes gradebook.csv and gradebook.json of these rows (sorted) into <paramref name="outDirectory"/>.</summary>
    public static void Save(string outDirectory, IEnumerable<GradebookRow> rows)
    {
        var sorted = Sorted(rows);
        File.WriteAllText(Path.Combine(outDirectory, FileName), Csv(sorted));
        File.WriteAllText(Path.Combine(outDirectory, DataFile), JsonSerializer.Serialize(sorted, JsonOptions) + "\n");
    }

    /// <summary>Reads the rows of a gradebook.json.</summary>
    /// <exception cref="GraderException">Missing, or not a gradebook.</exception>
    public static IReadOnlyList<GradebookRow> Read(string path)
    {
        try
        {
            var rows = JsonSerializer.Deserialize<List<GradebookRow>>(File.ReadAllText(path), JsonOptions);
            return rows is not null && rows.All(r => r is { Student: not null, Outcome: not null, Stages: not null })
                ? rows
                : throw new GraderException($"{path} is not a gradebook (rows without a student, outcome or stages)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new GraderException($"{path}: cannot read the gradebook: {e.Message}", e);
        }
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

    private static string MarkdownCell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static void Line(StringBuilder text, IEnumerable<string> cells) => text.Append(string.Join(',', cells.Select(Cell))).Append("\r\n");
}

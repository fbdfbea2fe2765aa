using System.Globalization;
using System.Text.RegularExpressions;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Grading;

/// <summary>A row of an assignment text's points table: a task (or the total, <see cref="Task"/> null) and its points.</summary>
public sealed record PointsRow(string File, int Line, TaskId? Task, int Points);

/// <summary>
/// The points the kit publishes, checked against the points the grader gives (the hidden tests'
/// manifest), so the texts cannot drift from the grader: each assignment text's table
/// (<c>| N.k | … | P |</c> rows and a <c>**Total**</c> row), and the maxima in the docs' examples
/// (<c>score: X / Y</c> and the <c>max</c> column of a gradebook example).
/// </summary>
public static partial class PublishedPoints
{
    /// <summary>The docs whose examples show the grader's maximum.</summary>
    public static readonly IReadOnlyList<string> ExampleDocs = ["README.md", "docs/grading.md", "docs/instructor-guide.md", "docs/student-guide.md"];

    /// <summary>The points-table rows of one Markdown text, in order.</summary>
    public static IReadOnlyList<PointsRow> Rows(string file, string text)
    {
        var rows = new List<PointsRow>();
        foreach (var (line, number) in Lines(text))
        {
            if (TaskRow().Match(line) is { Success: true } task && TaskId.TryParse(task.Groups["task"].Value, out var id))
            {
                rows.Add(new PointsRow(file, number, id, int.Parse(task.Groups["points"].Value, CultureInfo.InvariantCulture)));
            }
            else if (TotalRow().Match(line) is { Success: true } total)
            {
                rows.Add(new PointsRow(file, number, null, int.Parse(total.Groups["points"].Value, CultureInfo.InvariantCulture)));
            }
        }

        return rows;
    }

    /// <summary>Every disagreement between the kit's texts and <paramref name="manifest"/>, as <c>file:line: …</c>; empty when they agree.</summary>
    public static IReadOnlyList<string> Check(string root, Manifest manifest)
    {
        var problems = new List<string>();
        var folders = AssignmentFolders.FromRoot(root);
        foreach (var stage in manifest.Stages)
        {
            var readme = folders.ReadmeFor(stage);
            if (readme is null || !File.Exists(Path.Combine(root, readme)))
            {
                problems.Add($"stage {stage} has hidden tests but no assignment text (assignments/{stage:D2}-<name>/README.md)");
                continue;
            }

            problems.AddRange(CheckTable(readme, File.ReadAllText(Path.Combine(root, readme)), stage, manifest));
        }

        foreach (var doc in ExampleDocs.Where(d => File.Exists(Path.Combine(root, d))))
        {
            problems.AddRange(CheckExamples(doc, File.ReadAllText(Path.Combine(root, doc)), manifest.MaxPoints));
        }

        return problems;
    }

    /// <summary>The table of <paramref name="stage"/>'s text against the manifest: every task's row, no extra row, and the total.</summary>
    public static IEnumerable<string> CheckTable(string file, string text, int stage, Manifest manifest)
    {
        var rows = Rows(file, text);
        var tasks = rows.Where(r => r.Task is not null).ToList();
        var graded = manifest.Tests.Where(t => t.Stage == stage).GroupBy(t => t.Task).ToDictionary(g => g.Key, g => g.ToList());
        if (tasks.Count == 0)
        {
            yield return $"{file}: no points table (rows `| N.k | … | points |`); the hidden tests give stage {stage} {graded.Values.Sum(Sum)} points";
            yield break;
        }

        foreach (var row in tasks)
        {
            var task = row.Task!.Value;
            if (task.Stage != stage || !graded.TryGetValue(task, out var tests))
            {
                yield return $"{file}:{row.Line}: task {task} has {row.Points} point(s) here, but no hidden test of stage {stage} checks it";
            }
            else if (row.Points != Sum(tests))
            {
                yield return $"{file}:{row.Line}: task {task} has {row.Points} point(s) here, {Sum(tests)} in the hidden tests ({string.Join(", ", tests.Select(t => $"{t.Name.Split('.')[^1]} {t.Points}"))})";
            }
        }

        foreach (var (task, tests) in graded.Where(g => tasks.All(r => r.Task != g.Key)).OrderBy(g => g.Key))
        {
            yield return $"{file}: task {task} has no row, and its hidden tests give it {Sum(tests)} point(s)";
        }

        var stageTotal = graded.Values.Sum(Sum);
        var totals = rows.Where(r => r.Task is null).ToList();
        if (totals.Count != 1)
        {
            yield return $"{file}: the points table needs one `**Total**` row ({stageTotal} points), it has {totals.Count}";
        }
        else if (totals[0].Points != stageTotal)
        {
            yield return $"{file}:{totals[0].Line}: the total says {totals[0].Points} points, the hidden tests of stage {stage} give {stageTotal}";
        }
    }

    /// <summary>The maxima of the examples in a doc: <c>score: X / Y</c> and a gradebook's <c>max</c> column.</summary>
    public static IEnumerable<string> CheckExamples(string file, string text, int max)
    {
        var inGradebook = false;
        foreach (var (line, number) in Lines(text))
        {
            foreach (Match score in ScoreLine().Matches(line))
            {
                if (int.Parse(score.Groups["max"].Value, CultureInfo.InvariantCulture) != max)
                {
                    yield return $"{file}:{number}: the example says `{score.Value}`, the grader's maximum is {max}";
                }
            }

            var trimmed = line.Trim();
            if (trimmed.StartsWith("student,score,max,", StringComparison.Ordinal))
            {
                inGradebook = true;
                continue;
            }

            if (inGradebook && (trimmed.Length == 0 || !trimmed.Contains(',', StringComparison.Ordinal)))
            {
                inGradebook = false;
            }
            else if (inGradebook && trimmed.Split(',') is { Length: > 2 } cells && cells[2] != max.ToString(CultureInfo.InvariantCulture))
            {
                yield return $"{file}:{number}: the gradebook example's max is {cells[2]}, the grader's maximum is {max}";
            }
        }
    }

    private static int Sum(List<ManifestTest> tests) => tests.Sum(t => t.Points);

    private static IEnumerable<(string Line, int Number)> Lines(string text) =>
        text.ReplaceLineEndings("\n").Split('\n').Select((line, i) => (line, i + 1));

    [GeneratedRegex(@"^\|\s*(?<task>\d+\.\d+)\s*\|.*\|\s*(?<points>\d+)\s*\|\s*$")]
    private static partial Regex TaskRow();

    [GeneratedRegex(@"^\|\s*\|\s*\*\*Total\*\*\s*\|\s*\*\*(?<points>\d+)\*\*\s*\|\s*$")]
    private static partial Regex TotalRow();

    [GeneratedRegex(@"score: \d+ / (?<max>\d+)")]
    private static partial Regex ScoreLine();
}

using PaxosLabs.Grader.Reports;
using PaxosLabs.Grader.Submissions;

namespace PaxosLabs.Grader.Grading;

/// <summary>
/// <c>grade --batch</c>: every subfolder of a folder is one submission, graded one after the other
/// into <c>&lt;out&gt;/&lt;student&gt;/</c>; <c>gradebook.csv</c> is rewritten after each one, so an interrupted
/// batch still leaves the rows done so far. A submission that fails, does not compile or hangs costs
/// only its own row: builds and stages have hard time bounds, and errors become the row's outcome.
/// </summary>
public static class BatchJob
{
    /// <param name="template">The time bounds and <c>Keep</c> for every submission (its target, name and folder are replaced).</param>
    public static IReadOnlyList<GradebookRow> Run(string batchDirectory, string outDirectory, GradeRequest template, TextWriter progress)
    {
        var batch = Path.GetFullPath(batchDirectory);
        if (!Directory.Exists(batch))
        {
            throw new GraderException($"{batchDirectory}: no such folder");
        }

        var students = Directory.EnumerateDirectories(batch)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (students.Count == 0)
        {
            throw new GraderException($"{batch} has no submission folders");
        }

        Directory.CreateDirectory(outDirectory);
        var rows = new List<GradebookRow>();
        foreach (var (student, index) in students.Select((s, i) => (s, i + 1)))
        {
            var name = Path.GetFileName(student);
            progress.WriteLine();
            progress.WriteLine($"[{index}/{students.Count}] {name}");
            var reports = Path.Combine(outDirectory, SubmissionOverlay.SafeName(name));
            rows.Add(GradeOne(template with { Target = student, Name = name, OutDirectory = reports }, progress));
            File.WriteAllText(Path.Combine(outDirectory, Gradebook.FileName), Gradebook.Csv(rows));
        }

        return rows;
    }

    private static GradebookRow GradeOne(GradeRequest request, TextWriter progress)
    {
        var (name, reports) = (request.Label, request.OutDirectory);
        try
        {
            var result = GradeJob.Run(request, progress);
            GradeJob.Save(result, reports, stepSummaryPath: null);
            using (var console = new StreamWriter(Path.Combine(reports, GradeJob.ConsoleFile)))
            {
                GradeJob.WriteConsole(result, console);
            }

            progress.WriteLine($"{name}: {new GradebookRow(name, result).Outcome}, {result.Total} points");
            return new GradebookRow(name, result);
        }
        catch (Exception e) when (e is GraderException or IOException or UnauthorizedAccessException)
        {
            progress.WriteLine($"{name}: not graded: {e.Message}");
            return new GradebookRow(name, null, e.Message.ReplaceLineEndings(" "));
        }
    }
}

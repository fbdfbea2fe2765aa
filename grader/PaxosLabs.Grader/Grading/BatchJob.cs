using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.ExceptionServices;
using PaxosLabs.Grader.Reports;
using PaxosLabs.Grader.Submissions;

namespace PaxosLabs.Grader.Grading;

/// <summary>Shard <see cref="Index"/> of <see cref="Count"/> (1-based): every Count-th student folder, from the Index-th on.</summary>
public sealed record Shard(int Index, int Count)
{
    public static readonly Shard Whole = new(1, 1);

    /// <summary>Parses <c>i/n</c> with 1 ≤ i ≤ n; null when <paramref name="text"/> is not that.</summary>
    public static Shard? Parse(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index >= 1 && index <= count
                ? new Shard(index, count)
                : null;
    }

    /// <summary>This shard's share of the students, sorted by name: round robin, so shards get similar numbers.</summary>
    public IReadOnlyList<string> Of(IReadOnlyList<string> sortedStudents) =>
        [.. sortedStudents.Where((_, i) => i % Count == Index - 1)];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}

/// <summary>How a batch runs: how many submissions at once, and which share of them.</summary>
public sealed record BatchOptions(int Jobs = 1, Shard? Part = null)
{
    public Shard Shard => Part ?? Shard.Whole;
}

/// <summary>
/// <c>grade --batch</c>: every subfolder of a folder is one submission, graded into
/// <c>&lt;out&gt;/&lt;student&gt;/</c>, up to <see cref="BatchOptions.Jobs"/> at once (each in its own
/// overlay tree and build output), only this <see cref="BatchOptions.Shard"/>'s share of them.
/// <c>gradebook.csv</c> and <c>gradebook.json</c> are rewritten after each one, in student order, so an
/// interrupted batch still leaves the rows done so far. A submission that fails, does not compile or
/// hangs costs only its own row: builds and stages have hard time bounds, and errors become the row's outcome.
/// One the machine could not grade (<see cref="NotGraded"/>) is graded once more, alone, at the end.
/// </summary>
public static class BatchJob
{
    /// <param name="template">The time bounds and <c>Keep</c> for every submission (its target, name and folder are replaced).</param>
    public static IReadOnlyList<GradebookRow> Run(string batchDirectory, string outDirectory, GradeRequest template, BatchOptions options, TextWriter progress) =>
        Run(batchDirectory, outDirectory, template, options, progress, GradeOne);

    /// <summary>The batch with its grading step given: tests check the scheduling without grading.</summary>
    public static IReadOnlyList<GradebookRow> Run(
        string batchDirectory, string outDirectory, GradeRequest template, BatchOptions options, TextWriter progress, Func<GradeRequest, TextWriter, GradebookRow> grade)
    {
        var batch = Path.GetFullPath(batchDirectory);
        if (!Directory.Exists(batch))
        {
            throw new GraderException($"{batchDirectory}: no such folder");
        }

        var all = Directory.EnumerateDirectories(batch)
            .Select(d => Path.GetFileName(d))
            .Where(name => !name.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (all.Count == 0)
        {
            throw new GraderException($"{batch} has no submission folders");
        }

        var clash = all.GroupBy(SubmissionOverlay.SafeName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new GraderException($"the submission folders {string.Join(" and ", clash.Select(n => $"'{n}'"))} would share the report folder '{clash.Key}'; rename one");
        }

        var students = options.Shard.Of(all);
        Directory.CreateDirectory(outDirectory);
        var rows = new List<GradebookRow>();
        var gate = new Lock();
        var started = 0;
        if (options.Shard != Shard.Whole)
        {
            progress.WriteLine($"shard {options.Shard}: {students.Count} of the {all.Count} submissions");
        }

        Gradebook.Save(outDirectory, rows); // a shard without students still has its (empty) gradebook to merge
        void GradeStudent(string name, bool alone)
        {
            // Alone, progress streams; several at once, each student's progress is written as one block when done.
            using var own = alone ? null : new StringWriter();
            lock (gate)
            {
                progress.WriteLine();
                progress.WriteLine($"[{++started}/{students.Count}] {name}{(own is null ? "" : ": started")}");
            }

            var reports = Path.Combine(outDirectory, SubmissionOverlay.SafeName(name));
            var row = grade(template with { Target = Path.Combine(batch, name), Name = name, OutDirectory = reports }, own ?? progress);
            lock (gate)
            {
                if (own is not null)
                {
                    progress.WriteLine();
                    progress.WriteLine($"--- {name} ---");
                    progress.Write(own.ToString());
                }

                rows.RemoveAll(r => r.Student == name);
                rows.Add(row);
                Gradebook.Save(outDirectory, rows);
            }
        }

        if (options.Jobs == 1)
        {
            foreach (var name in students)
            {
                GradeStudent(name, alone: true);
            }
        }
        else
        {
            try
            {
                // No buffering: each free worker takes the next student in order.
                Parallel.ForEach(Partitioner.Create(students, EnumerablePartitionerOptions.NoBuffering), new ParallelOptions { MaxDegreeOfParallelism = options.Jobs }, name => GradeStudent(name, alone: false));
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            }
        }

        // The machine, not the submission, stopped these (a build past its bound on an overloaded
        // machine, say): once more, one at a time, when the batch no longer loads the machine.
        var again = Gradebook.Sorted(rows).Where(r => r.IsNotGraded).Select(r => r.Student).ToList();
        if (again.Count > 0)
        {
            progress.WriteLine();
            progress.WriteLine($"grading again, one at a time, the {again.Count} submission(s) the machine could not grade: {string.Join(", ", again)}");
            started = students.Count - again.Count;
            foreach (var name in again)
            {
                GradeStudent(name, alone: true);
            }
        }

        return Gradebook.Sorted(rows);
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

            var row = GradebookRow.Of(name, result);
            progress.WriteLine($"{name}: {row.Outcome}, {result.Total} points");
            return row;
        }
        catch (Exception e) when (e is GraderException or IOException or UnauthorizedAccessException)
        {
            progress.WriteLine($"{name}: not graded: {e.Message}");
            return GradebookRow.Failed(name, e.Message);
        }
    }
}

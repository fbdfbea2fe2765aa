using PaxosLabs.Grader.Reports;
using PaxosLabs.Grader.Submissions;

namespace PaxosLabs.Grader.Grading;

/// <summary>
/// <c>merge</c>: joins the <c>--out</c> folders of a batch's shards (<c>grade --batch … --shard i/n</c>)
/// into one: the gradebook a single run would have written, and every student's report folder.
/// </summary>
public static class GradebookMerge
{
    public static IReadOnlyList<GradebookRow> Run(IReadOnlyList<string> shardDirectories, string outDirectory, TextWriter progress)
    {
        if (shardDirectories.Count == 0)
        {
            throw new GraderException("merge needs the --out folders of the shards, one or more");
        }

        var output = Path.GetFullPath(outDirectory);
        var rows = new List<GradebookRow>();
        var from = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var shard in shardDirectories.Select(Path.GetFullPath))
        {
            var data = Path.Combine(shard, Gradebook.DataFile);
            if (!File.Exists(data))
            {
                throw new GraderException($"{shard} has no {Gradebook.DataFile}: give the --out folder of a `grade --batch` run");
            }

            foreach (var row in Gradebook.Read(data))
            {
                if (!from.TryAdd(row.Student, shard))
                {
                    throw new GraderException($"{row.Student} is in two shards' gradebooks ({from[row.Student]} and {shard}): were the shards given the same --shard?");
                }

                rows.Add(row);
            }
        }

        var maxima = rows.Select(r => r.Max).OfType<int>().Distinct().ToList();
        if (maxima.Count > 1)
        {
            throw new GraderException($"the shards were graded with different hidden tests (maxima {string.Join(", ", maxima)}); grade them all with the same kit");
        }

        Directory.CreateDirectory(output);
        foreach (var row in rows.Where(r => from[r.Student] != output))
        {
            var reports = Path.Combine(from[row.Student], SubmissionOverlay.SafeName(row.Student));
            if (Directory.Exists(reports))
            {
                Copy(reports, Path.Combine(output, SubmissionOverlay.SafeName(row.Student)));
            }
        }

        Gradebook.Save(output, rows);
        progress.WriteLine($"merged {shardDirectories.Count} shard(s): {rows.Count} submission(s) into {output}");
        return Gradebook.Sorted(rows);
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}

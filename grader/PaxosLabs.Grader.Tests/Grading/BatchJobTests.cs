using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Reports;

namespace PaxosLabs.Grader.Tests.Grading;

/// <summary>The batch's scheduling, sharding and merging, with a grading step that only makes up a row.</summary>
public sealed class BatchJobTests : IDisposable
{
    private static readonly string[] Students = ["dave", "alice", "erin", "carol", "bob"];

    private readonly TestTree _tree = new();

    public BatchJobTests()
    {
        foreach (var student in Students)
        {
            _tree.Write($"submissions/{student}/src/A.cs", "// work\n");
        }

        _tree.Write("submissions/.git/config", "not a student\n");
    }

    public void Dispose() => _tree.Dispose();

    private string Submissions => Path.Combine(_tree.Root, "submissions");

    private GradeRequest Template => new(_tree.Root, "", "", TimeSpan.FromSeconds(60));

    /// <summary>A made-up row from the student's name; it also writes a report, as grading does.</summary>
    private static GradebookRow Fake(GradeRequest request, TextWriter progress)
    {
        Directory.CreateDirectory(request.OutDirectory);
        File.WriteAllText(Path.Combine(request.OutDirectory, "score.md"), request.Label);
        progress.WriteLine($"graded {request.Label}");
        return request.Label == "erin"
            ? GradebookRow.Failed("erin", "no editable file")
            : new GradebookRow(request.Label!, request.Label!.Length, 10, [new StagePoints(1, request.Label.Length)], "graded", 0);
    }

    private IReadOnlyList<GradebookRow> Batch(string outName, BatchOptions options, Func<GradeRequest, TextWriter, GradebookRow>? grade = null)
    {
        using var progress = new StringWriter();
        return BatchJob.Run(Submissions, Path.Combine(_tree.Root, outName), Template, options, progress, grade ?? Fake);
    }

    private string Csv(string outName) => _tree.Read($"{outName}/{Gradebook.FileName}");

    [Fact]
    public void A_shard_takes_every_nth_student_in_name_order()
    {
        Assert.Equal(["alice", "carol", "erin"], Batch("s1", new BatchOptions(Part: new Shard(1, 2))).Select(r => r.Student));
        Assert.Equal(["bob", "dave"], Batch("s2", new BatchOptions(Part: new Shard(2, 2))).Select(r => r.Student));
        Assert.Empty(Batch("s9", new BatchOptions(Part: new Shard(6, 6))));
        Assert.Equal("student,score,max,outcome,ignored_files\r\n", Csv("s9")); // an empty shard still has a gradebook to merge
    }

    [Fact]
    public void Two_jobs_grade_two_submissions_at_once_and_never_more()
    {
        var running = 0;
        var most = 0;
        var gate = new Lock();
        GradebookRow Overlapping(GradeRequest request, TextWriter progress)
        {
            lock (gate)
            {
                most = Math.Max(most, ++running);
            }

            // Wait (bounded) until a second job runs too; alone at the end, the last one goes on.
            SpinWait.SpinUntil(() => Volatile.Read(ref running) >= 2 || Volatile.Read(ref most) >= 2, TimeSpan.FromSeconds(30));
            lock (gate)
            {
                running--;
            }

            return Fake(request, progress);
        }

        var rows = Batch("jobs", new BatchOptions(Jobs: 2), Overlapping);

        Assert.Equal(2, most);
        Assert.Equal(["alice", "bob", "carol", "dave", "erin"], rows.Select(r => r.Student));
    }

    [Fact]
    public void Parallel_jobs_and_merged_shards_write_the_gradebook_of_one_sequential_run()
    {
        Batch("one", new BatchOptions());
        Batch("two", new BatchOptions(Jobs: 3));
        Batch("s1", new BatchOptions(Part: new Shard(1, 2)));
        Batch("s2", new BatchOptions(Jobs: 2, Part: new Shard(2, 2)));
        using var progress = new StringWriter();

        var merged = GradebookMerge.Run([Path.Combine(_tree.Root, "s2"), Path.Combine(_tree.Root, "s1")], Path.Combine(_tree.Root, "merged"), progress);

        Assert.Equal(Csv("one"), Csv("two"));
        Assert.Equal(Csv("one"), Csv("merged"));
        Assert.Equal(5, merged.Count);
        Assert.Equal("bob", _tree.Read("merged/bob/score.md")); // the students' report folders come along
        Assert.StartsWith("student,score,max,stage-1,outcome,ignored_files\r\nalice,5,10,5,graded,0\r\n", Csv("one"), StringComparison.Ordinal);
    }

    [Fact]
    public void Merging_a_shard_twice_or_a_folder_without_a_gradebook_is_refused()
    {
        Batch("s1", new BatchOptions(Part: new Shard(1, 2)));
        var shard = Path.Combine(_tree.Root, "s1");
        using var progress = new StringWriter();

        var twice = Assert.Throws<GraderException>(() => GradebookMerge.Run([shard, shard], Path.Combine(_tree.Root, "m"), progress));
        var none = Assert.Throws<GraderException>(() => GradebookMerge.Run([Submissions], Path.Combine(_tree.Root, "m"), progress));

        Assert.Contains("alice is in two shards' gradebooks", twice.Message, StringComparison.Ordinal);
        Assert.Contains("has no gradebook.json", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Folders_that_would_share_a_report_folder_are_refused_before_grading()
    {
        _tree.Write("submissions/a b/x.txt", "");
        _tree.Write("submissions/a_b/x.txt", "");
        var graded = 0;

        var error = Assert.Throws<GraderException>(() => Batch("out", new BatchOptions(), (r, p) => { graded++; return Fake(r, p); }));

        Assert.Contains("'a b' and 'a_b' would share the report folder 'a_b'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, graded);
    }
}

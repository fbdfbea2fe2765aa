using System.Diagnostics;
using System.Text.Json;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Handout;
using PaxosLabs.Grader.Reports;
using PaxosLabs.Grader.Skeletons;
using PaxosLabs.Grader.Tests.Reports;
using Xunit.Abstractions;
using static PaxosLabs.Grader.Tests.Grading.Submissions;

namespace PaxosLabs.Grader.Tests.Grading;

/// <summary>
/// <c>grade --batch --jobs 2</c> on the real kit: a hostile submission that hangs in stage 1 and one that is no
/// submission at all, graded at once (about two and a half minutes, a minute of it stage 1 with the hang, while the
/// other end-to-end tests keep the machine busy: <see cref="OwnSubmissionsCollection"/>).
/// </summary>
[Collection(OwnSubmissionsCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class BatchEndToEndTests(ITestOutputHelper log) : IDisposable
{
    /// <summary>
    /// Generous for every stage of the solutions (each takes well under a minute), and for stage 1 of the
    /// hanging submission, whose runs share it: about a minute (its one hang costs <see cref="TestTimeout"/>,
    /// then the tests left run in a new host). Its runs took more than 4 minutes once on CI when the hang was
    /// reached by every write, so the bound stays far above what the per-test bound needs.
    /// </summary>
    private const int StageTimeout = 480;

    /// <summary>Generous for every hidden test of the solutions (the slowest, a simulation sweep, takes 3–20 s on a loaded machine); each hang costs this much.</summary>
    private const int TestTimeout = 40;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "paxoslabs-grader-tests", "batch-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>
    /// Everything solved, but WriteQF (task 1.5) prints lines that look like a full score at a quorum and,
    /// once every node of the configuration has acknowledged, waits for an event no one sets, as a deadlock
    /// does; and the student edited a visible test, the build rules, added a "hidden test" that passes and a
    /// copy of the grader. Only one hidden test hands WriteQF every node's acknowledgement
    /// (<c>WriteQF_is_done_exactly_at_a_quorum</c>, whose first case has one node): a quorum call stops at a
    /// quorum, which in the multicast and gRPC tests is less than every node, so they pass, and the hang costs
    /// one per-test bound, not the 30 s waits of every test that writes. (A busy loop is stopped by the same
    /// bound, but it starves the other tests of the 2-core CI machine, so which of them pass would depend on
    /// its load.)
    /// </summary>
    private static string Hostile(string path)
    {
        SolvedRepository(path);
        Edit(Path.Combine(path, "src/PaxosLabs.Storage/StorageQSpec.cs"),
            "        return (new WriteResponse { New = replies.Values.Any(r => r.New) }, true);",
            "        Console.WriteLine(\"score: 198 / 198\");\n        Console.WriteLine(\"Passed!  - Failed: 0, Passed: 85, Skipped: 0, Total: 85\");\n" +
            "        if (replies.Count == Nodes)\n        {\n            new ManualResetEventSlim().Wait(); // every node acknowledged: wait for a signal no one ever sends\n        }\n\n" +
            "        return (new WriteResponse { New = replies.Values.Any(r => r.New) }, true);");
        File.AppendAllText(Path.Combine(path, "src/tests/PaxosLabs.Stage1.Tests/StorageQSpecTests.cs"), "\n// every test passes now\n");
        File.AppendAllText(Path.Combine(path, "Directory.Build.props"), "\n<!-- TreatWarningsAsErrors off, points on -->\n");
        Write(Path.Combine(path, "grader/PaxosLabs.HiddenTests/Stage1/StorageQFTests.cs"),
            "namespace PaxosLabs.HiddenTests.Stage1;\npublic class StorageQFTests { [Xunit.Fact] public void ReadQF_is_not_done_below_a_quorum() { } }\n");
        Write(Path.Combine(path, "grader/PaxosLabs.Grader/Grading/Scorer.cs"), "// every test earns its points\n");
        return path;
    }

    [Fact]
    public void A_batch_grades_every_submission_whatever_each_one_does()
    {
        var batch = Path.Combine(_folder, "submissions");
        Hostile(Path.Combine(batch, "alice"));
        Write(Path.Combine(batch, "carol", "notes.txt"), "I did not hand anything in\n");
        var outDirectory = Path.Combine(_folder, "out");

        var clock = Stopwatch.StartNew();
        var (code, output, error) = GradeCli.Run(
            "grade", "--batch", batch, "--root", KitRepository.Root, "--out", outDirectory, "--stage-timeout", $"{StageTimeout}", "--test-timeout", $"{TestTimeout}", "--jobs", "2");
        clock.Stop();
        log.WriteLine($"grade --batch took {clock.Elapsed:m\\:ss}:\n{output}\n{error}");

        // carol could not be graded, so the batch exits 1; alice was graded all the same.
        Assert.True(code == 1, $"exit code {code}\n{output}\n{error}");
        // The documented worst case of one submission (docs/grading.md, "Time bounds"); carol costs nothing.
        var bound = HiddenTestRun.BuildTimeout + (4 * TimeSpan.FromSeconds(StageTimeout)) + TimeSpan.FromMinutes(1);
        Assert.True(clock.Elapsed < bound, $"the batch took {clock.Elapsed}, more than {bound}\n{output}");
        var gradebook = File.ReadAllLines(Path.Combine(outDirectory, "gradebook.csv"));
        Assert.Equal("student,score,max,stage-1,stage-2,stage-3,stage-4,stage-5,stage-6,outcome,ignored_files", gradebook[0]);
        Assert.Equal(3, gradebook.Length);

        // alice: the one test that hangs in WriteQF (task 1.5) times out and is lost; the other test of
        // task 1.5, the other tasks of stage 1 (the multicast and gRPC tests write through WriteQF, but
        // never with every node's acknowledgement) and every other stage keep their points.
        var alice = Json(Path.Combine(outDirectory, "alice", "score.json"));
        var stages = alice.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("stage").GetInt32());
        Assert.False(stages[1].GetProperty("timedOut").GetBoolean(), $"the per-test bound should have stopped the hanging test before the stage bound\n{output}");
        Assert.True(stages[1].GetProperty("earned").GetInt32() < stages[1].GetProperty("possible").GetInt32(), output);
        foreach (var stage in new[] { 2, 3, 4 })
        {
            Assert.True(stages[stage].GetProperty("earned").GetInt32() == stages[stage].GetProperty("possible").GetInt32(), $"stage {stage} lost points\n{output}");
        }

        var tests = alice.GetProperty("tests").EnumerateArray().ToList();
        string Name(JsonElement test) => test.GetProperty("name").GetString()!;
        var hanging = Assert.Single(tests, t => Name(t) == "PaxosLabs.HiddenTests.Stage1.StorageQFTests.WriteQF_is_done_exactly_at_a_quorum");
        Assert.Equal(("1.5", 0, "timed out"), (hanging.GetProperty("task").GetString(), hanging.GetProperty("earned").GetInt32(), hanging.GetProperty("outcome").GetString()));
        Assert.All(tests.Where(t => t.GetProperty("stage").GetInt32() == 1 && Name(t) != Name(hanging)), t => Assert.True(
            t.GetProperty("earned").GetInt32() == t.GetProperty("points").GetInt32(), $"{Name(t)} lost its points ({t.GetProperty("outcome")})\n{output}"));
        Assert.Contains(tests, t => Name(t) == "PaxosLabs.HiddenTests.Stage1.StorageQFTests.WriteQF_reports_new_only_when_some_node_took_the_write");
        Assert.Equal(tests.Sum(t => t.GetProperty("earned").GetInt32()), alice.GetProperty("total").GetInt32());
        Assert.True(alice.GetProperty("total").GetInt32() < alice.GetProperty("max").GetInt32());
        Assert.Equal(
            [
                "Directory.Build.props (changed)",
                "grader/PaxosLabs.Grader/Grading/Scorer.cs (not in the handout)",
                "grader/PaxosLabs.HiddenTests/Stage1/StorageQFTests.cs (not in the handout)",
                "src/tests/PaxosLabs.Stage1.Tests/StorageQSpecTests.cs (changed)",
            ],
            alice.GetProperty("ignored").EnumerateArray().Select(i => i.GetString()));
        Assert.Contains("src/tests/PaxosLabs.Stage1.Tests/StorageQSpecTests.cs (changed)", File.ReadAllText(Path.Combine(outDirectory, "alice", "score.md")), StringComparison.Ordinal);
        Assert.StartsWith($"alice,{alice.GetProperty("total").GetInt32()},{alice.GetProperty("max").GetInt32()},", gradebook[1], StringComparison.Ordinal);
        // Graded; on a machine overloaded by other work, the hang's timeout carries the note that asks to
        // run it again alone before charging it (StageRunner's overload rule), and nothing else.
        var overloaded = output.Contains("WriteQF_is_done_exactly_at_a_quorum timed out while the machine was overloaded", StringComparison.Ordinal);
        Assert.True(gradebook[1].EndsWith(",graded,4", StringComparison.Ordinal) || (overloaded && gradebook[1].EndsWith(",graded (1 check note(s)),4", StringComparison.Ordinal)),
            $"alice's row: {gradebook[1]}\n{output}");
        Assert.Empty(FormatValidation.Gradescope(File.ReadAllText(Path.Combine(outDirectory, "alice", "results.json"))));
        Assert.Empty(FormatValidation.JUnit(File.ReadAllText(Path.Combine(outDirectory, "alice", "junit.xml"))));
        Assert.Equal(alice.GetProperty("total").GetInt32(), Json(Path.Combine(outDirectory, "alice", "results.json")).GetProperty("score").GetInt32());

        Assert.Equal(["alice", "carol"], Gradebook.Read(Path.Combine(outDirectory, Gradebook.DataFile)).Select(r => r.Student));

        // carol: a row that says why.
        Assert.StartsWith("carol,,", gradebook[2], StringComparison.Ordinal);
        Assert.Contains("error: ", gradebook[2], StringComparison.Ordinal);

        // Nothing of the runs is left in the kit.
        Assert.False(Directory.Exists(Path.Combine(KitRepository.Root, ".grade", "alice")));
    }
}

/// <summary>Students' submissions for the end-to-end tests, made from the handout and the solutions.</summary>
internal static class Submissions
{
    /// <summary>A student repository (the handout) with every task solved as the solutions solve it.</summary>
    public static string SolvedRepository(string path)
    {
        HandoutGenerator.Write(KitRepository.Root, path, force: false);
        foreach (var file in SkeletonGenerator.EditableFiles(KitRepository.Root))
        {
            File.Copy(Path.Combine(KitRepository.Root, "solutions", file), Path.Combine(path, "src", file), overwrite: true);
        }

        return path;
    }

    public static void Edit(string path, string from, string to)
    {
        var text = File.ReadAllText(path);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    public static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Everything solved but task 1.5, which does not compile.</summary>
    public static string Broken(string path)
    {
        SolvedRepository(path);
        Edit(Path.Combine(path, "src/PaxosLabs.Storage/StorageQSpec.cs"),
            "return (new WriteResponse { New = replies.Values.Any(r => r.New) }, true);",
            "return (new WriteResponse { New = replies.Values.Any(r => r.New) }, true) // missing semicolon");
        return path;
    }

    public static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;
}

/// <summary><c>grade</c> of a student's submission that does not compile (half a minute).</summary>
[Collection(HiddenTestsCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class SubmissionEndToEndTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "paxoslabs-grader-tests", "e2e-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void A_submission_that_does_not_compile_scores_0_shows_the_errors_and_exits_3()
    {
        var bob = Broken(Path.Combine(_folder, "bob"));
        var outDirectory = Path.Combine(_folder, "out");

        var (code, output, error) = GradeCli.Run("grade", bob, "--root", KitRepository.Root, "--out", outDirectory);

        Assert.True(code == 3, $"exit code {code}\n{output}\n{error}");
        Assert.Contains("does not compile:", output, StringComparison.Ordinal);
        Assert.Contains("  src/PaxosLabs.Storage/StorageQSpec.cs(", output, StringComparison.Ordinal);
        Assert.Contains("error CS1002", output, StringComparison.Ordinal);
        Assert.Equal("score: 0 (does not compile)", GradeCli.LastLine(output));
        var score = Json(Path.Combine(outDirectory, "score.json"));
        Assert.Equal((false, 0), (score.GetProperty("compiles").GetBoolean(), score.GetProperty("total").GetInt32()));
        Assert.Contains("error CS1002", score.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        var gradescope = Json(Path.Combine(outDirectory, "results.json"));
        Assert.Equal(0, gradescope.GetProperty("score").GetInt32());
        Assert.Empty(FormatValidation.Gradescope(File.ReadAllText(Path.Combine(outDirectory, "results.json"))));
        Assert.Empty(FormatValidation.JUnit(File.ReadAllText(Path.Combine(outDirectory, "junit.xml"))));
        Assert.Contains("error CS1002", gradescope.GetProperty("tests")[0].GetProperty("output").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>
/// End-to-end tests that grade only submissions of their own (their own overlays and build output, or
/// their own copy of the kit) and never build the kit's trees: they run one at a time, beside
/// <see cref="HiddenTestsCollection"/>, and take about as long together.
/// The batch test waits out a hang, so the machine has room for them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OwnSubmissionsCollection
{
    public const string Name = "own submissions";
}

/// <summary>
/// <c>verify</c> on the real kit: grades the solutions as a submission and the skeletons (about two minutes). Its
/// grade of the skeletons stands for <c>grade skeletons</c> too (<see cref="GradeEndToEndTests"/> has the cut ones).
/// </summary>
[Collection(HiddenTestsCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class VerifyEndToEndTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "paxoslabs-grader-tests", "verify-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public void Verify_grades_the_solutions_as_a_submission_to_full_marks_and_the_stubs_to_0()
    {
        var (code, output, error) = GradeCli.Run("verify", "--root", KitRepository.Root, "--out", _out);

        Assert.Contains("ok    the solutions, graded as a submission, score 100 %", output, StringComparison.Ordinal);
        Assert.Contains("ok    the skeletons score 0", output, StringComparison.Ordinal);
        Assert.Contains("ok    no hidden test passes on a stub", output, StringComparison.Ordinal);
        Assert.Contains("ok    the points in the assignment texts and docs are the grader's: ", output, StringComparison.Ordinal);

        // The drift check is the `skeletons --check` of RepositorySkeletonTests; here it only sets the exit code.
        var upToDate = SkeletonGenerator.Check(KitRepository.Root).Count == 0;
        Assert.True(code == (upToDate ? 0 : 1), $"exit code {code}\n{output}\n{error}");
        Assert.Equal(upToDate ? "the kit is consistent" : "1 check(s) failed", GradeCli.LastLine(output));
        Assert.True(File.Exists(Path.Combine(_out, "solutions", "results.json")));

        // The skeletons' reports are those of `grade skeletons` (the same GradeJob): 0 of a positive maximum.
        var skeletons = Json(Path.Combine(_out, "skeletons", "score.json"));
        Assert.True(skeletons.GetProperty("max").GetInt32() > 0 && skeletons.GetProperty("total").GetInt32() == 0, output);
    }
}

using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Handout;
using PaxosLabs.Grader.Packaging;
using PaxosLabs.Grader.Tests.Grading;
using PaxosLabs.Grader.Tests.Reports;
using Xunit.Abstractions;

namespace PaxosLabs.Grader.Tests.Packaging;

/// <summary>
/// The autograder zip of the real kit, run as Gradescope runs it: unpacked into a simulated
/// <c>/autograder</c> (<c>AUTOGRADER_ROOT</c>), <c>setup.sh</c> (dotnet is here, so it only builds), then
/// <c>run_autograder</c> on a student repository (about two minutes on a busy 2-core machine: two
/// builds of the hidden tests and a grade whose tests fail fast). It builds and grades only its own
/// copy of the kit, so it runs beside the tests of <see cref="HiddenTestsCollection"/>, after the batch
/// and attack tests in <see cref="OwnSubmissionsCollection"/>: two collections of about 6½ minutes each
/// on the 2-core CI machine, started at once. (In a third collection it waited for a free worker, since
/// xunit runs as many collections at once as there are cores; that was right while the batch and attack
/// tests took about 8 minutes, but once the batch's hang cost one test bound, a run in which it took a
/// worker first started the hidden tests' collection, the longest, 91 s late, and that collection ended last.)
/// </summary>
[Collection(OwnSubmissionsCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class GradescopeEndToEndTests(ITestOutputHelper log) : IDisposable
{
    /// <summary>Generous for stage 1 here, whose tests fail at once on the stubs but for the solved ones (a few seconds idle).</summary>
    private const int StageTimeout = 120;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "paxoslabs-grader-tests", "gradescope-e2e-" + Guid.NewGuid().ToString("N"));

    private string Root => Path.Combine(_folder, "autograder");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void The_autograder_zip_sets_up_and_grades_a_student_repository_as_gradescope_runs_it()
    {
        var zip = Path.Combine(_folder, "autograder.zip");
        var (code, output, error) = GradeCli.Run(
            "gradescope", "--root", KitRepository.Root, "--out", zip, "--visibility", "visible", "--stage-timeout", $"{StageTimeout}", "--test-timeout", "60");
        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");

        // Gradescope's layout: source/ = the zip's contents, submission/ = what the student handed in, results/ empty.
        ZipFile.ExtractToDirectory(zip, Path.Combine(Root, "source"));
        Directory.CreateDirectory(Path.Combine(Root, "results"));
        var submission = Path.Combine(Root, "submission");
        HandoutGenerator.Write(KitRepository.Root, submission, force: false);

        // Task 1.4 and 1.5 solved, in a file older than the image's build (a zip upload keeps the
        // student's times): a build that went by times alone would keep the prebuilt stubs.
        var solved = Path.Combine(submission, "src", "PaxosLabs.Storage", "StorageQSpec.cs");
        File.Copy(Path.Combine(KitRepository.Root, "solutions", "PaxosLabs.Storage", "StorageQSpec.cs"), solved, overwrite: true);
        File.SetLastWriteTimeUtc(solved, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var environment = new Dictionary<string, string?> { [GradescopeScripts.RootVariable] = Root };
        var setup = ChildProcess.Run("bash", [Path.Combine(Root, "source", "setup.sh")], _folder, TimeSpan.FromMinutes(20), Path.Combine(_folder, "setup.log"), environment);
        log.WriteLine($"setup.sh took {setup.Elapsed:m\\:ss}");
        Assert.True(setup.ExitCode == 0 && !setup.TimedOut, "setup.sh failed:\n" + Tail(setup));
        Assert.DoesNotContain(setup.Output, l => l.StartsWith("installing the .NET SDK", StringComparison.Ordinal));
        Assert.Contains("the autograder is ready", setup.Output);

        // Gradescope runs it directly: the zip must have kept its executable bit.
        var clock = Stopwatch.StartNew();
        var run = ChildProcess.Run(Path.Combine(Root, "source", "run_autograder"), [], _folder, TimeSpan.FromMinutes(30), Path.Combine(_folder, "run.log"), environment);
        clock.Stop();
        log.WriteLine($"run_autograder took {clock.Elapsed:m\\:ss}");
        Assert.True(run.ExitCode == 0 && !run.TimedOut, "run_autograder failed:\n" + Tail(run));
        Assert.Contains("grade exited with code 0", run.Output);

        var json = File.ReadAllText(Path.Combine(Root, "results", "results.json"));
        Assert.Empty(FormatValidation.Gradescope(json));
        var results = JsonDocument.Parse(json).RootElement;
        var tests = results.GetProperty("tests").EnumerateArray().ToList();
        Assert.True(tests.Count > 50, $"{tests.Count} tests: not the graded report\n{Tail(run)}");

        // The solved QF tests earn their points, and nothing else does: the rest are stubs.
        var storage = tests.Where(t => t.GetProperty("name").GetString()!.StartsWith("StorageQFTests.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(storage);
        Assert.All(storage, t => Assert.True(t.GetProperty("status").GetString() == "passed", $"{t.GetProperty("name")}: {t.GetProperty("output")}"));
        var score = results.GetProperty("score").GetInt32();
        Assert.Equal(storage.Sum(t => t.GetProperty("max_score").GetInt32()), score);
        Assert.Equal(tests.Sum(t => t.GetProperty("score").GetInt32()), score);
        Assert.StartsWith($"score: {score} / {tests.Sum(t => t.GetProperty("max_score").GetInt32())}", results.GetProperty("output").GetString(), StringComparison.Ordinal);

        // --visibility visible, baked in: the result and every test (no hidden test's [Graded] names a visibility of its own today).
        Assert.Equal(("visible", "hidden"), (results.GetProperty("visibility").GetString(), results.GetProperty("stdout_visibility").GetString()));
        Assert.All(tests, t => Assert.Equal("visible", t.GetProperty("visibility").GetString()));

        // The grade's wall time: positive, and within the script's.
        var seconds = results.GetProperty("execution_time").GetDouble();
        Assert.True(seconds > 0 && seconds <= Math.Ceiling(clock.Elapsed.TotalSeconds), $"execution_time {seconds} s, run_autograder took {clock.Elapsed.TotalSeconds:0} s");
        Assert.True(File.Exists(Path.Combine(Root, "results", GradescopeScripts.ReportsFolder, "score.json")));
    }

    private static string Tail(ChildResult result) => string.Join('\n', result.Output.TakeLast(60));
}

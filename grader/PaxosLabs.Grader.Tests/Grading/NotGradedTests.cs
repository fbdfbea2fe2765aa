using System.Runtime.Versioning;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Reports;

namespace PaxosLabs.Grader.Tests.Grading;

/// <summary>
/// A slow or broken machine is never the student's fault: a build past its bound, or one that fails
/// without a compiler error, leaves the submission not graded (exit 4, its own gradebook outcome, graded
/// again at the end of a batch), never "does not compile".
/// </summary>
public sealed class NotGradedTests : IDisposable
{
    private readonly TestTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private GradeOptions Options => new(_tree.Root, "skeletons", Path.Combine(_tree.Root, "out"), TimeSpan.FromSeconds(60));

    private static ChildResult Build(int exitCode, bool timedOut = false, params string[] output) => new(exitCode, timedOut, output, TimeSpan.FromSeconds(1), 1);

    [Fact]
    public void Only_a_compiler_error_means_does_not_compile()
    {
        var outcome = HiddenTestRun.BuildFailure(Build(1, false, "src/P/A.cs(3,1): error CS1002: ; expected [P.csproj]", "Build FAILED."), Options, "build.log");

        var failure = Assert.IsType<DoesNotCompile>(outcome);
        Assert.Equal(["src/P/A.cs(3,1): error CS1002: ; expected [P.csproj]"], failure.Errors);
        Assert.Null(HiddenTestRun.BuildFailure(Build(0), Options, "build.log"));
    }

    [Theory]
    [InlineData(1, false, "/k/P.csproj : error NU1101: Unable to find package Grpc.Core. No packages exist with this id in source(s): feed [P.csproj]",
        "the build failed (exit code 1) without a compiler error: /k/P.csproj : error NU1101: Unable to find package Grpc.Core.")]
    [InlineData(1, false, "CSC : error CS2012: Cannot open 'obj/P.dll' for writing -- 'No space left on device'",
        "the build failed (exit code 1) without a compiler error: CSC : error CS2012")] // not located in a source file: the disk, not the code
    [InlineData(137, false, null, "the build failed (exit code 137) without an error line; see build.log")]
    [InlineData(-1, true, null, "the build of the hidden tests did not finish within 2 s (the machine may be overloaded); see build.log")]
    public void A_build_that_ran_out_of_time_or_failed_without_a_compiler_error_is_not_graded(int exitCode, bool timedOut, string? line, string why)
    {
        var outcome = HiddenTestRun.BuildFailure(Build(exitCode, timedOut, line is null ? [] : [line]), Options with { BuildTimeout = TimeSpan.FromSeconds(2) }, "build.log");

        var notGraded = Assert.IsType<NotGraded>(outcome);
        Assert.StartsWith(why, notGraded.Why, StringComparison.Ordinal);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void A_build_that_sleeps_past_its_bound_is_stopped_and_not_graded()
    {
        var dotnet = Path.Combine(_tree.Root, "slow-dotnet");
        Executable.Write(dotnet, "#!/bin/sh\nexec sleep 120\n");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcome = HiddenTestRun.Run(Options with { Dotnet = dotnet, BuildTimeout = TimeSpan.FromSeconds(2) }, TextWriter.Null);

        Assert.StartsWith("the build of the hidden tests did not finish within 2 s", Assert.IsType<NotGraded>(outcome).Why, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the build ran {clock.Elapsed}, far past its 2 s bound");
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void A_restore_failure_is_not_graded_and_names_its_error()
    {
        var dotnet = Path.Combine(_tree.Root, "offline-dotnet");
        Executable.Write(dotnet, "#!/bin/sh\necho '/k/P.csproj : error NU1301: Unable to load the service index for source https://api.nuget.org/v3/index.json.'\nexit 1\n");

        var outcome = HiddenTestRun.Run(Options with { Dotnet = dotnet }, TextWriter.Null);

        Assert.Contains("error NU1301: Unable to load the service index", Assert.IsType<NotGraded>(outcome).Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_graded_exits_4_with_its_own_reports_and_gradebook_outcome()
    {
        var result = new GradeResult("alice", new NotGraded("the build of the hidden tests did not finish within 15 min"), GradeExtras.None, TimeSpan.FromSeconds(60));
        var outDirectory = Path.Combine(_tree.Root, "alice");

        GradeJob.Save(result, outDirectory, stepSummaryPath: null);
        using var console = new StringWriter();
        GradeJob.WriteConsole(result, console);
        var row = GradebookRow.Of("alice", result);

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("could not be graded: the build of the hidden tests did not finish within 15 min (not the submission's doing: grade it again)", console.ToString().Trim());
        Assert.Contains("could not be graded", _tree.Read("alice/score.md"), StringComparison.Ordinal);
        Assert.Contains("\"notGraded\": \"the build of the hidden tests did not finish within 15 min\"", _tree.Read("alice/score.json"), StringComparison.Ordinal);
        Assert.False(_tree.Exists("alice/results.json"), "no Gradescope score: its autograder script reports that it could not grade");
        Assert.True(row.IsNotGraded && row.IsError && row.Score is null);
        Assert.Equal("could not be graded: the build of the hidden tests did not finish within 15 min", row.Outcome);
    }

    [Fact]
    public void A_batch_grades_a_submission_the_machine_could_not_grade_once_more_alone_at_its_end()
    {
        foreach (var student in new[] { "alice", "bob", "carol" })
        {
            _tree.Write($"subs/{student}/src/A.cs", "// work\n");
        }

        var calls = new List<string>();
        GradebookRow Grade(GradeRequest request, TextWriter progress)
        {
            lock (calls)
            {
                calls.Add(request.Label);
            }

            var first = calls.Count(c => c == request.Label) == 1;
            return request.Label == "bob" && first
                ? GradebookRow.Of("bob", new GradeResult("bob", new NotGraded("the build of the hidden tests did not finish within 15 min"), GradeExtras.None, TimeSpan.FromSeconds(60)))
                : new GradebookRow(request.Label, 5, 10, [new StagePoints(1, 5)], "graded", 0);
        }

        using var progress = new StringWriter();
        var rows = BatchJob.Run(Path.Combine(_tree.Root, "subs"), Path.Combine(_tree.Root, "out"), new GradeRequest(_tree.Root, "", "", TimeSpan.FromSeconds(60)), new BatchOptions(Jobs: 2), progress, Grade);

        Assert.Equal("bob", calls[^1]); // again, after every other submission
        Assert.Equal(2, calls.Count(c => c == "bob"));
        Assert.All(rows, r => Assert.Equal("graded", r.Outcome));
        Assert.Contains("grading again, one at a time, the 1 submission(s) the machine could not grade: bob", progress.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(_tree.Root, "out", Gradebook.FileName)).Length - 1);
    }
}

/// <summary>A test that times out on an overloaded machine runs once more, alone, before it is charged.</summary>
public sealed class RetryAloneTests
{
    private static readonly HashSet<string> None = [];

    [Theory]
    [InlineData(75.0, 2, 75.0)] // the machine of the report: load 75 on 2 cores
    [InlineData(16.5, 2, 16.5)]
    [InlineData(16.0, 2, null)] // 8 per core is still a machine that runs tests in time
    [InlineData(3.0, 2, null)]
    [InlineData(100.0, 16, null)]
    public void Only_an_overloaded_machine_gets_the_second_run(double load, int cores, double? expected) =>
        Assert.Equal(expected, StageRunner.RetryAlone(["Ns.C.Hangs"], None, load, cores));

    [Fact]
    public void A_test_is_run_again_alone_once_and_its_second_timeout_is_charged_whatever_the_load()
    {
        Assert.Equal(75.0, StageRunner.RetryAlone(["Ns.C.Hangs", "Ns.C.Other"], None, 75, 2));
        Assert.Null(StageRunner.RetryAlone(["Ns.C.Hangs"], new HashSet<string> { "Ns.C.Hangs" }, 75, 2));
        Assert.Null(StageRunner.RetryAlone(["Ns.C.Hangs"], None, null, 2)); // no load average (not Linux): charged as before
        Assert.Null(StageRunner.RetryAlone([], None, 75, 2));
    }
}

using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Handout;
using PaxosLabs.Grader.Tests.Grading;

namespace PaxosLabs.Grader.Tests.Handout;

/// <summary>
/// The real handout, built and tested as a student would: it builds, its tests run and fail on the
/// stubs, and once stage 1 is published the stage 1 tests pass. About two minutes.
/// </summary>
[Collection(HiddenTestsCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class HandoutEndToEndTests : IDisposable
{
    private readonly string _handout = Path.Combine(Path.GetTempPath(), "paxoslabs-grader-tests", "handout-e2e-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_handout))
        {
            Directory.Delete(_handout, recursive: true);
        }
    }

    private ChildResult Dotnet(params string[] arguments) =>
        ChildProcess.Run(HiddenTestRun.Dotnet(), arguments, _handout, HiddenTestRun.BuildTimeout, environment: ChildEnvironments.Build);

    private static string Text(ChildResult result) => string.Join('\n', result.Output);

    /// <summary>The command of the classroom workflow's step for a task of stage 1.</summary>
    private ChildResult TaskTests(string task) =>
        ChildProcess.Run("bash", [ClassroomWorkflow.ScriptPath, task, "src/tests/PaxosLabs.Stage1.Tests"], _handout, HiddenTestRun.BuildTimeout, environment: ChildEnvironments.Build);

    [Fact]
    public void The_handout_builds_its_tests_fail_on_the_stubs_and_pass_once_the_stage_is_published()
    {
        var handout = GradeCli.Run("handout", _handout, "--root", KitRepository.Root);
        Assert.True(handout.Code == 0, handout.Output + handout.Error);
        Assert.False(Directory.Exists(Path.Combine(_handout, "grader")));
        Assert.False(Directory.Exists(Path.Combine(_handout, "solutions")));
        Assert.DoesNotContain(Directory.EnumerateFiles(_handout, "*", SearchOption.AllDirectories), f => f.Contains("HiddenTests", StringComparison.Ordinal));

        var build = Dotnet("build", "-nologo", "-v:q");
        Assert.True(build.ExitCode == 0, Text(build));
        Assert.True(Directory.Exists(Path.Combine(_handout, "artifacts", "src")), "the handout's build output belongs in artifacts/src");

        var test = Dotnet("test", "--no-build", "-nologo");
        Assert.True(test.ExitCode != 0, "the visible tests passed on the stubs:\n" + Text(test));
        Assert.Contains("NotImplementedException : TODO(1.", Text(test), StringComparison.Ordinal);
        Assert.Contains(test.Output, l => l.Contains("PaxosLabs.Stage6.Tests.dll", StringComparison.Ordinal)); // every stage's tests ran, the last one too

        // The classroom workflow's step of a task: no points on the stubs, nor for a filter that matches no test.
        var onStubs = TaskTests("1.4");
        Assert.True(onStubs.ExitCode == 1, Text(onStubs));
        Assert.Matches("^task 1.4: 0 of [1-9][0-9]* visible tests passed; the points need all of them$", onStubs.Output[^1]);
        var noTest = TaskTests("9.9");
        Assert.True(noTest.ExitCode == 1, Text(noTest));
        Assert.Equal("task 9.9: no visible test ran, so this task gets no points here", noTest.Output[^1]);

        var publish = GradeCli.Run("publish", "--stage", "1", _handout, "--root", KitRepository.Root);
        Assert.True(publish.Code == 0, publish.Output + publish.Error);
        // Publishing writes only code regions, so the first build's restore still holds.
        var stage1 = Dotnet("test", "src/tests/PaxosLabs.Stage1.Tests", "--no-restore", "-nologo");
        Assert.True(stage1.ExitCode == 0, "stage 1's visible tests fail with its solution published:\n" + Text(stage1));
        var solved = TaskTests("1.4");
        Assert.True(solved.ExitCode == 0, Text(solved));
    }
}

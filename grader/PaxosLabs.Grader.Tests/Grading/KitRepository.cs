using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Tests.Grading;

/// <summary>The real kit repository these tests run in, and its built hidden tests.</summary>
internal static class KitRepository
{
    public static readonly string Root = KitRoot.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"no kit root above {AppContext.BaseDirectory}");

    private static readonly Lock BuildGate = new();

    /// <summary>
    /// The hidden-test assembly built against the solutions; when it is missing it is built here with
    /// a child <c>dotnet build</c>, the way <c>grade</c> builds it.
    /// </summary>
    public static string SolutionsHiddenTests()
    {
        var path = HiddenTestRun.TestAssembly(Root, "solutions");
        lock (BuildGate)
        {
            if (!File.Exists(path))
            {
                var build = ChildProcess.Run(
                    HiddenTestRun.Dotnet(),
                    ["build", HiddenTestRun.Project, "-p:Impl=solutions", "-nologo", "-v:q"],
                    Root,
                    HiddenTestRun.BuildTimeout);
                Assert.True(build.ExitCode == 0 && !build.TimedOut, "building the hidden tests failed:\n" + string.Join('\n', build.Output));
            }
        }

        Assert.True(File.Exists(path), $"the build did not produce {path}");
        return path;
    }
}

/// <summary>
/// Tests that build or load the hidden tests, or run them through <c>grade</c>: they run one at a
/// time, so no build rewrites an assembly another test is reading. Beside them run only tests that
/// grade submissions of their own (<see cref="OwnSubmissionsCollection"/>); other test classes build
/// nothing of the kit's.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HiddenTestsCollection
{
    public const string Name = "hidden tests";
}

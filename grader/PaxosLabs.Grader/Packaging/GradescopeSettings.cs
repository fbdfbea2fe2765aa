using System.Globalization;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Reports;

namespace PaxosLabs.Grader.Packaging;

/// <summary>The <c>grade</c> options an autograder zip bakes into its <c>run_autograder</c>.</summary>
/// <param name="Visibility">One of <see cref="GradescopeVisibility.All"/>.</param>
/// <param name="StageTimeout">Seconds, from 1 up.</param>
/// <param name="TestTimeout">Seconds, from 1 up.</param>
/// <param name="Sandbox">How the tests are kept apart in Gradescope's container.</param>
public sealed record GradescopeSettings(string Visibility, int StageTimeout, int TestTimeout, SandboxMode Sandbox)
{
    /// <summary>
    /// Lower than <c>grade</c>'s 600 s, so the worst case of a submission (every stage running out its
    /// bound) fits an autograder timeout Gradescope allows; the solutions' slowest stage takes about 10 s.
    /// </summary>
    public const int DefaultStageTimeout = 180;

    /// <summary>The options as <c>grade</c> takes them, in a fixed order.</summary>
    public IReadOnlyList<string> GradeArguments =>
    [
        "--visibility", Visibility,
        "--stage-timeout", StageTimeout.ToString(CultureInfo.InvariantCulture),
        "--test-timeout", TestTimeout.ToString(CultureInfo.InvariantCulture),
        "--sandbox", Sandbox.ToString().ToLowerInvariant(),
    ];

    /// <summary>
    /// The documented worst case of one submission (docs/grading.md, "Time bounds"): the build bound,
    /// every stage running out its bound, and about a minute of overhead.
    /// </summary>
    public TimeSpan WorstCase(int stages) =>
        HiddenTestRun.BuildTimeout + (stages * TimeSpan.FromSeconds(StageTimeout)) + TimeSpan.FromMinutes(1);

    /// <exception cref="ArgumentException">A value <c>grade</c> would refuse.</exception>
    public void Validate()
    {
        if (!GradescopeVisibility.IsValid(Visibility))
        {
            throw new ArgumentException($"not a Gradescope visibility: '{Visibility}'");
        }

        if (StageTimeout < 1 || TestTimeout < 1 || !Enum.IsDefined(Sandbox))
        {
            throw new ArgumentException("the time bounds must be at least one second, and the sandbox mode one of auto, user, none");
        }
    }
}

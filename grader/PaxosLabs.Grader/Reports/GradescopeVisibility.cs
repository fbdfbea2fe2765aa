using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Reports;

/// <summary>
/// Gradescope's visibility values (when a student may see a result) and their names in the kit's
/// <c>PaxosLabs.Grading.Visibility</c>, which the grader knows only as text (it does not reference that assembly).
/// </summary>
public static class GradescopeVisibility
{
    public const string Visible = "visible";
    public const string AfterDueDate = "after_due_date";
    public const string AfterPublished = "after_published";
    public const string Hidden = "hidden";

    /// <summary>
    /// What <c>grade</c> writes unless told otherwise: hidden-test results are shown once the
    /// instructor publishes grades, so students cannot probe the hidden tests before the deadline.
    /// </summary>
    public const string Default = AfterPublished;

    /// <summary>Every value, in the order the option's help lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Visible, AfterDueDate, AfterPublished, Hidden];

    private static readonly (string Gradescope, string Kit)[] Names =
    [
        (Visible, "Visible"),
        (AfterDueDate, "AfterDueDate"),
        (AfterPublished, "AfterPublished"),
        (Hidden, "Hidden"),
    ];

    /// <summary>Whether <paramref name="text"/> is one of Gradescope's values, spelled exactly.</summary>
    public static bool IsValid(string? text) => text is not null && All.Contains(text, StringComparer.Ordinal);

    /// <summary>Gradescope's value for a kit name; an unknown name is <see cref="Default"/>.</summary>
    public static string FromKit(string kitName) =>
        Names.FirstOrDefault(n => string.Equals(n.Kit, kitName, StringComparison.Ordinal)).Gradescope ?? Default;

    /// <summary>The kit's name for one of Gradescope's values.</summary>
    /// <exception cref="ArgumentException">Not one of Gradescope's values.</exception>
    public static string ToKit(string gradescope) =>
        Names.FirstOrDefault(n => string.Equals(n.Gradescope, gradescope, StringComparison.Ordinal)).Kit
        ?? throw new ArgumentException($"not a Gradescope visibility: '{gradescope}'", nameof(gradescope));

    /// <summary>
    /// The score with every test whose <c>[Graded]</c> names no visibility given <paramref name="visibility"/>
    /// (one of Gradescope's values); a test that names one keeps it.
    /// </summary>
    public static Score WithDefault(Score score, string visibility)
    {
        var kit = ToKit(visibility);
        return score with
        {
            Stages =
            [
                .. score.Stages.Select(stage => stage with
                {
                    Tasks =
                    [
                        .. stage.Tasks.Select(task => task with
                        {
                            Tests = [.. task.Tests.Select(test => test.Test.Visibility is null ? test with { Test = test.Test with { Visibility = kit } } : test)],
                        }),
                    ],
                }),
            ],
        };
    }
}

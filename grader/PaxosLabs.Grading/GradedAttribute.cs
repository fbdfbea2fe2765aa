using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace PaxosLabs.Grading;

/// <summary>When a student may see a test's result (Gradescope's visibility values).</summary>
public enum Visibility
{
    /// <summary>Shown once grades are published (the default for hidden tests; first, so it is the default value).</summary>
    AfterPublished,

    /// <summary>Shown at once.</summary>
    Visible,

    /// <summary>Shown after the due date.</summary>
    AfterDueDate,

    /// <summary>Never shown to the student.</summary>
    Hidden,
}

/// <summary>
/// Marks a hidden test as graded: the task it checks (<c>"4.2"</c>, as in <c>TODO(4.2)</c>) and the
/// points it is worth. A theory earns its points only when every case passes. The values become
/// xunit traits (Task, Stage, Points, Visibility), so <c>--filter Stage=1</c> selects a stage.
/// </summary>
[TraitDiscoverer("PaxosLabs.Grading.GradedTraitDiscoverer", "PaxosLabs.Grading")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed partial class GradedAttribute : Attribute, ITraitAttribute
{
    public GradedAttribute(string task, int points)
    {
        Task = task;
        Points = points;
    }

    /// <summary>The task id, "N.k".</summary>
    public string Task { get; }

    public int Points { get; }

    public Visibility Visibility { get; set; } = Visibility.AfterPublished;

    /// <summary>The stage of the task: N of "N.k"; 0 when the id is malformed.</summary>
    public int Stage => StageOf(Task);

    public static int StageOf(string task)
    {
        var match = TaskId().Match(task ?? "");
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    public static bool IsTaskId(string task) => TaskId().IsMatch(task ?? "");

    [GeneratedRegex(@"^([1-9][0-9]*)\.([1-9][0-9]*)$")]
    private static partial Regex TaskId();
}

/// <summary>Turns <see cref="GradedAttribute"/> into xunit traits.</summary>
public sealed class GradedTraitDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        ArgumentNullException.ThrowIfNull(traitAttribute);
        var args = traitAttribute.GetConstructorArguments().ToList();
        var task = (string)args[0];
        var points = (int)args[1];
        var visibility = traitAttribute.GetNamedArgument<Visibility>(nameof(GradedAttribute.Visibility));
        yield return new("Task", task);
        yield return new("Stage", GradedAttribute.StageOf(task).ToString(CultureInfo.InvariantCulture));
        yield return new("Points", points.ToString(CultureInfo.InvariantCulture));
        yield return new("Visibility", visibility.ToString());
    }
}

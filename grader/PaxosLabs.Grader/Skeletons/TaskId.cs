using System.Globalization;

namespace PaxosLabs.Grader.Skeletons;

/// <summary>
/// A task number such as <c>1.2</c>: the stage (assignment) and the task within it. Ordered
/// numerically, so 1.2 sorts before 1.10.
/// </summary>
public readonly record struct TaskId(int Stage, int Number) : IComparable<TaskId>
{
    /// <summary>
    /// Parses <c>N.k</c> with N and k positive integers written without leading zeros, so each
    /// task has exactly one spelling.
    /// </summary>
    public static bool TryParse(string text, out TaskId id)
    {
        id = default;
        var parts = text.Split('.');
        if (parts.Length != 2 || !IsPositive(parts[0]) || !IsPositive(parts[1]))
        {
            return false;
        }

        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var stage)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false; // too large for an int
        }

        id = new TaskId(stage, number);
        return true;
    }

    private static bool IsPositive(string digits) =>
        digits.Length > 0 && digits[0] != '0' && digits.All(char.IsAsciiDigit);

    public int CompareTo(TaskId other)
    {
        var byStage = Stage.CompareTo(other.Stage);
        return byStage != 0 ? byStage : Number.CompareTo(other.Number);
    }

    public static bool operator <(TaskId left, TaskId right) => left.CompareTo(right) < 0;

    public static bool operator >(TaskId left, TaskId right) => left.CompareTo(right) > 0;

    public static bool operator <=(TaskId left, TaskId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(TaskId left, TaskId right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Stage}.{Number}");
}

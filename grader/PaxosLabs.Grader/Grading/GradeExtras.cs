using System.Text;
using System.Text.Json;

namespace PaxosLabs.Grader.Grading;

/// <summary>
/// What a report says besides the score: the submission's files the grader did not take, the
/// editable files it lacked, and what the result checks rejected or noticed.
/// </summary>
public sealed record GradeExtras(IReadOnlyList<string> Ignored, IReadOnlyList<string> Missing, IReadOnlyList<string> Notes)
{
    public static GradeExtras None { get; } = new([], [], []);

    public bool IsEmpty => Ignored.Count == 0 && Missing.Count == 0 && Notes.Count == 0;

    /// <summary>The sections as plain text, one per kind, each line indented (empty when there is nothing to say).</summary>
    public string Text()
    {
        var text = new StringBuilder();
        Section(text, "checks of the results:", Notes, "  ");
        Section(text, "ignored (only the student-editable files are graded; these come from the kit):", Ignored, "  ");
        Section(text, "missing editable files (the skeleton's stubs were graded instead):", Missing, "  ");
        return text.ToString();
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        Section(text, "**Checks of the results:**\n", Notes, "- ", escape: true);
        Section(text, "**Ignored files** (only the student-editable files are graded; these come from the kit):\n", Ignored, "- ", escape: true);
        Section(text, "**Missing editable files** (the skeleton's stubs were graded instead):\n", Missing, "- ", escape: true);
        return text.ToString();
    }

    public void WriteJson(Utf8JsonWriter json)
    {
        Array(json, "ignored", Ignored);
        Array(json, "missing", Missing);
        Array(json, "notes", Notes);
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<string> lines, string bullet, bool escape = false)
    {
        if (lines.Count == 0)
        {
            return;
        }

        text.Append(title).Append('\n');
        foreach (var line in lines)
        {
            text.Append(bullet).Append(escape ? $"`{line.Replace("`", "'", StringComparison.Ordinal)}`" : line).Append('\n');
        }

        text.Append('\n');
    }

    private static void Array(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}

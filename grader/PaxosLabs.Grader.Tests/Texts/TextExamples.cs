using System.Text;
using System.Text.RegularExpressions;

namespace PaxosLabs.Grader.Tests.Texts;

/// <summary>
/// An example block of a student- or staff-facing text: a fenced block right after a line
/// <c>&lt;!-- example: id --&gt;</c>, which says which real output it shows.
/// </summary>
internal sealed record TextExample(string File, int Line, string Id, string Text)
{
    public override string ToString() => $"{File}:{Line} ({Id})";
}

/// <summary>Reads the marked examples of the texts and compares them with real output.</summary>
internal static partial class TextExamples
{
    /// <summary>The texts whose example blocks are real output, relative to the kit root.</summary>
    public static IEnumerable<string> Texts(string root) =>
        Directory.GetDirectories(Path.Combine(root, "assignments")).Order(StringComparer.Ordinal)
            .Select(folder => Path.GetRelativePath(root, Path.Combine(folder, "README.md")))
            .Concat(["docs/student-guide.md", "docs/grading.md"])
            .Select(path => path.Replace('\\', '/'));

    public static IReadOnlyList<TextExample> Read(string root, string file)
    {
        var lines = System.IO.File.ReadAllLines(Path.Combine(root, file));
        var examples = new List<TextExample>();
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = Marker().Match(lines[i]);
            if (!marker.Success)
            {
                continue;
            }

            if (i + 1 >= lines.Length || !lines[i + 1].StartsWith("```", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{file}:{i + 1}: the example marker must be followed at once by a fenced block");
            }

            var end = Array.FindIndex(lines, i + 2, line => line.StartsWith("```", StringComparison.Ordinal));
            if (end < 0)
            {
                throw new InvalidOperationException($"{file}:{i + 2}: the example's fenced block is not closed");
            }

            examples.Add(new TextExample(file, i + 1, marker.Groups[1].Value, string.Join('\n', lines[(i + 2)..end])));
        }

        return examples;
    }

    /// <summary>
    /// True when <paramref name="actual"/> is what <paramref name="example"/> shows, line by line
    /// (trailing spaces aside). An ellipsis "…" stands for any text within its line; a line that is
    /// only "…" stands for any number of whole lines.
    /// </summary>
    public static bool Matches(string example, string actual)
    {
        var pattern = new StringBuilder("^");
        foreach (var line in example.Split('\n').Select(l => l.TrimEnd()))
        {
            pattern.Append(line.Trim() == "…"
                ? @"(?:[^\n]*\n)*?"
                : string.Join(@"[^\n]*?", line.Split('…').Select(Regex.Escape)) + @"\n");
        }

        var text = string.Join('\n', actual.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd())) + "\n";
        return Regex.IsMatch(text, pattern.Append('$').ToString(), RegexOptions.None, TimeSpan.FromSeconds(10));
    }

    [GeneratedRegex(@"^<!-- example: ([a-z0-9-]+) -->$")]
    private static partial Regex Marker();
}

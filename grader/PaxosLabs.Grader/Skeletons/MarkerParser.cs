using System.Text.RegularExpressions;

namespace PaxosLabs.Grader.Skeletons;

/// <summary>
/// Finds the student regions, one-line stubs and instructor regions of one solution file and
/// checks that they are well formed. It never throws on bad markers: every mistake becomes a
/// <see cref="MarkerError"/> so that a run can report all of them at once.
/// </summary>
public static partial class MarkerParser
{
    /// <param name="relativePath">The path used in error messages (relative to the repository root); its extension selects the comment style.</param>
    /// <param name="text">The file's text.</param>
    public static ParsedFile Parse(string relativePath, string text)
    {
        var lines = SplitLines(text);
        var style = CommentStyle.ForPath(relativePath);
        if (style is null)
        {
            return new ParsedFile(relativePath, null, false, lines, [], [], [], []);
        }

        if (IsInstructorOnly(lines, style))
        {
            return new ParsedFile(relativePath, style, true, lines, [], [], [], []);
        }

        var state = new ParserState(relativePath, lines);
        foreach (var line in lines)
        {
            state.Accept(line, MarkerLine.Classify(line.Text, style));
        }

        state.Finish();
        return new ParsedFile(
            relativePath, style, false, lines, state.Regions, state.OneLineStubs, state.InstructorRegions, state.Errors);
    }

    /// <summary>Splits text into lines, keeping each terminator so the skeleton can reproduce it.</summary>
    public static IReadOnlyList<SourceLine> SplitLines(string text)
    {
        var lines = new List<SourceLine>();
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            if (newline < 0)
            {
                lines.Add(new SourceLine(lines.Count + 1, text[start..], string.Empty));
                break;
            }

            var end = newline > start && text[newline - 1] == '\r' ? newline - 1 : newline;
            lines.Add(new SourceLine(lines.Count + 1, text[start..end], text[end..(newline + 1)]));
            start = newline + 1;
        }

        return lines;
    }

    private static bool IsInstructorOnly(IReadOnlyList<SourceLine> lines, CommentStyle style)
    {
        var first = lines.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l.Text));
        return first is not null
            && style.TryGetCommentText(first.Text.TrimStart('\uFEFF'), out var comment)
            && InstructorOnly().IsMatch(comment);
    }

    [GeneratedRegex(@"^INSTRUCTOR\s+ONLY\b")]
    private static partial Regex InstructorOnly();
}

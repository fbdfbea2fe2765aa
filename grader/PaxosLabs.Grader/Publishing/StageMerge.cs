using System.Globalization;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Publishing;

/// <summary>What publishing did to one file.</summary>
public enum MergeAction
{
    /// <summary>The file was the skeleton's: it now reads as the published file.</summary>
    Replaced,

    /// <summary>The file had other changes: each of the stage's regions was replaced where it stands.</summary>
    Merged,

    /// <summary>The file already had the stage's solution.</summary>
    Unchanged,
}

/// <summary>The new text of a file (null when nothing changes) and the regions that could not be placed.</summary>
public sealed record MergeResult(MergeAction Action, string? Text, IReadOnlyList<string> Conflicts);

/// <summary>
/// Publishes one stage's solution into a file of a student repository. When the file is still the
/// skeleton's, it becomes the skeleton with that stage's regions resolved to their solutions. When
/// the student changed it, each region of the stage is found by the unchanged lines around it
/// (a line alignment with the skeleton) and replaced there, so changes elsewhere are kept; a region
/// whose surrounding lines changed is left alone and reported as a conflict.
/// </summary>
public static class StageMerge
{
    /// <param name="file">The parsed solution file.</param>
    /// <param name="parts">Its rendered parts (<see cref="SkeletonRenderer.Parts"/>).</param>
    /// <param name="stage">The stage to publish.</param>
    /// <param name="current">The file as it is in the student repository.</param>
    public static MergeResult Merge(ParsedFile file, IReadOnlyList<RenderedPart> parts, int stage, string current)
    {
        bool Published(RenderedPart p) => p.Task is { } id && id.Stage == stage;
        var skeleton = SkeletonRenderer.Join(file, parts.Select(p => p.Stub));
        var published = SkeletonRenderer.Join(file, parts.Select(p => Published(p) ? p.Solution : p.Stub));
        var newline = current.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var now = Lines(current);

        if (now.SequenceEqual(Lines(published), StringComparer.Ordinal))
        {
            return new MergeResult(MergeAction.Unchanged, null, []);
        }

        if (now.SequenceEqual(Lines(skeleton), StringComparer.Ordinal))
        {
            return new MergeResult(MergeAction.Replaced, WithNewlines(published, newline), []);
        }

        return MergeRegions(parts, Published, Lines(skeleton), now, newline, current.EndsWith('\n'));
    }

    private static MergeResult MergeRegions(
        IReadOnlyList<RenderedPart> parts, Func<RenderedPart, bool> published, List<string> skeleton, List<string> now, string newline, bool endsWithNewline)
    {
        var early = LineAlignment.Align(skeleton, now, early: true);
        var late = LineAlignment.Align(skeleton, now, early: false);
        if (early is null || late is null)
        {
            return new MergeResult(MergeAction.Merged, null, ["the file is too large to merge; publish by hand"]);
        }

        // Each published region: the skeleton lines [first, last] it covers, and the lines of the
        // current file strictly between its anchors (the matched lines just before and after it).
        var edits = new List<(TaskId Id, int Before, int After, List<string> Lines)>();
        var conflicts = new List<string>();
        var line = 0;
        foreach (var part in parts)
        {
            var count = Lines(part.Stub).Count;
            var (first, last) = (line, line + count - 1);
            line += count;
            if (!published(part) || count == 0)
            {
                continue;
            }

            var before = first == 0 ? -1 : early[first - 1];
            var after = last == skeleton.Count - 1 ? now.Count : late[last + 1];
            if ((before < 0 && first > 0) || after < 0 || after <= before)
            {
                conflicts.Add(Conflict(part.Task!.Value, "the lines around it changed"));
                continue;
            }

            edits.Add((part.Task!.Value, before, after, Lines(part.Solution)));
        }

        for (var i = 1; i < edits.Count; i++)
        {
            if (edits[i].Before + 1 < edits[i - 1].After)
            {
                conflicts.Add(Conflict(edits[i].Id, $"lines were added between it and task {edits[i - 1].Id}"));
                edits.RemoveAt(i--);
            }
        }

        var result = new List<string>(now);
        foreach (var edit in Enumerable.Reverse(edits))
        {
            result.RemoveRange(edit.Before + 1, edit.After - edit.Before - 1);
            result.InsertRange(edit.Before + 1, edit.Lines);
        }

        var text = string.Join(newline, result) + (endsWithNewline && result.Count > 0 ? newline : "");
        return new MergeResult(MergeAction.Merged, edits.Count > 0 ? text : null, conflicts);
    }

    private static string Conflict(TaskId id, string why) =>
        string.Create(CultureInfo.InvariantCulture, $"task {id}: {why}, so its region was not replaced; copy the solution in by hand");

    /// <summary>The lines of a text, without terminators (a final terminator adds no empty line).</summary>
    public static List<string> Lines(string text) => [.. MarkerParser.SplitLines(text).Select(l => l.Text)];

    private static string WithNewlines(string text, string newline) =>
        newline == "\n" ? text.ReplaceLineEndings("\n") : text.ReplaceLineEndings("\r\n");
}

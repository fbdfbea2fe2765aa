namespace PaxosLabs.Grader.Skeletons;

/// <summary>The line-by-line state machine behind <see cref="MarkerParser"/>.</summary>
internal sealed class ParserState(string path, IReadOnlyList<SourceLine> lines)
{
    private readonly CommentStyle style = CommentStyle.ForPath(path)!;

    // The open block region: its BEGIN marker, line and (once seen) STUB line.
    private (MarkerLine Begin, SourceLine Line, int? StubLine)? region;

    // BEGINs that were reported as nested; their ENDs are swallowed so one mistake gives one error.
    private readonly Stack<TaskId?> nested = new();

    private int? instructorBegin;

    public List<TaskRegion> Regions { get; } = [];

    public List<OneLineStub> OneLineStubs { get; } = [];

    public List<InstructorRegion> InstructorRegions { get; } = [];

    public List<MarkerError> Errors { get; } = [];

    public void Accept(SourceLine line, MarkerLine marker)
    {
        if (ContextError(marker) is { } contextError)
        {
            Error(line.Number, contextError);
            return;
        }

        if (marker.Error is not null)
        {
            Error(line.Number, marker.Error);
        }

        switch (marker.Kind)
        {
            case MarkerKind.BeginTask when region is { } open:
                Error(line.Number, $"BEGIN {Todo(marker.Id)} inside region {Todo(open.Begin.Id)} opened at line {open.Line.Number}: regions cannot nest");
                nested.Push(marker.Id);
                break;
            case MarkerKind.BeginTask:
                region = (marker, line, null);
                break;
            case MarkerKind.EndTask:
                End(line, marker);
                break;
            case MarkerKind.Stub:
                Stub(line);
                break;
            case MarkerKind.OneLine when region is { } open:
                Error(line.Number, $"one-line STUB {Todo(marker.Id)} inside region {Todo(open.Begin.Id)} opened at line {open.Line.Number}: regions cannot nest");
                break;
            case MarkerKind.OneLine when marker.Id is { } id && marker.Error is null:
                OneLineStubs.Add(new OneLineStub(id, line.Number, Indent(line.Text), marker.Code, marker.Text));
                break;
            case MarkerKind.BeginInstructor:
                instructorBegin = line.Number;
                break;
            case MarkerKind.EndInstructor:
                InstructorRegions.Add(new InstructorRegion(instructorBegin!.Value, line.Number));
                instructorBegin = null;
                break;
            case MarkerKind.None when region is { StubLine: not null } open && !style.TryGetCommentText(line.Text, out _):
                Error(line.Number, $"line in the STUB section of {Todo(open.Begin.Id)} is not a `//` comment (every stub line is written commented out)");
                break;
        }
    }

    public void Finish()
    {
        if (region is { } open)
        {
            Error(open.Line.Number, $"BEGIN {Todo(open.Begin.Id)} has no matching END {Todo(open.Begin.Id)} before the end of the file");
        }

        if (instructorBegin is { } begin)
        {
            Error(begin, "BEGIN INSTRUCTOR has no matching END INSTRUCTOR before the end of the file");
        }
    }

    /// <summary>Turns a commented stub line into code: <c>indent// text</c> becomes <c>indent text</c>.</summary>
    internal static string Uncomment(string text)
    {
        var slashes = text.IndexOf("//", StringComparison.Ordinal);
        if (slashes < 0)
        {
            return text; // only in a file with errors, which is never rendered
        }

        var rest = text[(slashes + 2)..];
        if (rest.StartsWith(' '))
        {
            rest = rest[1..];
        }

        return string.IsNullOrWhiteSpace(rest) ? string.Empty : text[..slashes] + rest;
    }

    private static string Indent(string text) => text[..(text.Length - text.TrimStart().Length)];

    private static string Todo(TaskId? id) => id is { } known ? $"TODO({known})" : "TODO";

    /// <summary>The error for a marker that is not allowed where it stands, if any.</summary>
    private string? ContextError(MarkerLine marker)
    {
        var isTask = marker.Kind is MarkerKind.BeginTask or MarkerKind.EndTask or MarkerKind.Stub or MarkerKind.OneLine;
        if (isTask && instructorBegin is { } begin)
        {
            return $"task marker inside the instructor region opened at line {begin}";
        }

        return marker.Kind switch
        {
            MarkerKind.BeginInstructor or MarkerKind.EndInstructor when region is { } open =>
                $"instructor marker inside region {Todo(open.Begin.Id)} opened at line {open.Line.Number}",
            MarkerKind.BeginInstructor when instructorBegin is { } openedAt =>
                $"BEGIN INSTRUCTOR inside the instructor region opened at line {openedAt}: instructor markers are unbalanced",
            MarkerKind.EndInstructor when instructorBegin is null =>
                "END INSTRUCTOR without BEGIN INSTRUCTOR: instructor markers are unbalanced",
            _ => null,
        };
    }

    private void End(SourceLine line, MarkerLine end)
    {
        if (nested.Count > 0)
        {
            nested.Pop();
            return;
        }

        if (region is not { } open)
        {
            Error(line.Number, $"END {Todo(end.Id)} without a matching BEGIN {Todo(end.Id)}");
            return;
        }

        region = null;
        if (end.Id is { } endId && open.Begin.Id is { } beginId && endId != beginId)
        {
            Error(line.Number, $"END TODO({endId}) does not match BEGIN TODO({beginId}) at line {open.Line.Number}");
        }

        if (open.Begin.Id is { } id)
        {
            Regions.Add(MakeRegion(id, open.Begin.Text, open.Line, open.StubLine, line.Number));
        }
    }

    private void Stub(SourceLine line)
    {
        if (region is not { } open)
        {
            Error(line.Number, "STUB outside a BEGIN TODO/END TODO region");
        }
        else if (open.StubLine is { } first)
        {
            Error(line.Number, $"second STUB in region {Todo(open.Begin.Id)} (the first is at line {first})");
        }
        else
        {
            region = open with { StubLine = line.Number };
        }
    }

    private TaskRegion MakeRegion(TaskId id, string instruction, SourceLine begin, int? stubLine, int endLine)
    {
        var solutionEnd = stubLine ?? endLine;
        var solution = Slice(begin.Number + 1, solutionEnd).Select(l => l.Text);
        var stub = stubLine is { } s ? string.Join('\n', Slice(s + 1, endLine).Select(l => Uncomment(l.Text))) : null;
        return new TaskRegion(id, instruction, Indent(begin.Text), begin.Number, stubLine, endLine, string.Join('\n', solution), stub);
    }

    /// <summary>Lines numbered <paramref name="from"/> up to but excluding <paramref name="to"/>.</summary>
    private IEnumerable<SourceLine> Slice(int from, int to) => lines.Skip(from - 1).Take(to - from);

    private void Error(int line, string message) => Errors.Add(new MarkerError(path, line, message));
}

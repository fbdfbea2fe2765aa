namespace PaxosLabs.Grader.Skeletons;

/// <summary>One line of a source file: its text without the terminator, and the terminator ("\n", "\r\n" or "" for an unterminated last line).</summary>
public sealed record SourceLine(int Number, string Text, string Ending);

/// <summary>A marker mistake, reported as <c>path:line: message</c> with the path relative to the repository root.</summary>
public sealed record MarkerError(string Path, int Line, string Message)
{
    public override string ToString() => $"{Path}:{Line}: {Message}";
}

/// <summary>
/// A block region <c>// BEGIN TODO(id): instruction</c> … <c>// END TODO(id)</c>. Lines
/// <see cref="FirstSolutionLine"/>..<see cref="LastSolutionLine"/> are the solution; the optional
/// STUB section follows. <see cref="StubText"/> is the stub as it appears in the skeleton (comment
/// prefixes removed), or null when the region has no STUB section and gets the default stub.
/// </summary>
public sealed record TaskRegion(
    TaskId Id,
    string Instruction,
    string Indent,
    int BeginLine,
    int? StubLine,
    int EndLine,
    string SolutionText,
    string? StubText)
{
    public int FirstSolutionLine => BeginLine + 1;

    public int LastSolutionLine => (StubLine ?? EndLine) - 1;
}

/// <summary>A one-line stub: <c>code // STUB TODO(id): replacement</c>.</summary>
public sealed record OneLineStub(TaskId Id, int Line, string Indent, string Code, string Replacement);

/// <summary>Lines <c>BEGIN INSTRUCTOR</c>..<c>END INSTRUCTOR</c>, markers included, that the skeleton drops.</summary>
public sealed record InstructorRegion(int BeginLine, int EndLine);

/// <summary>
/// A task as listed by the <c>tasks</c> command. For a one-line stub the instruction is its
/// replacement code, which is all the marker says.
/// </summary>
public sealed record TaskMarker(TaskId Id, string Path, int Line, string Instruction)
{
    public override string ToString() => $"{Id} {Path}:{Line}: {Instruction}";
}

/// <summary>The markers of one solution file, as found by <see cref="MarkerParser"/>.</summary>
public sealed class ParsedFile
{
    internal ParsedFile(
        string path,
        CommentStyle? style,
        bool isInstructorOnly,
        IReadOnlyList<SourceLine> lines,
        IReadOnlyList<TaskRegion> regions,
        IReadOnlyList<OneLineStub> oneLineStubs,
        IReadOnlyList<InstructorRegion> instructorRegions,
        IReadOnlyList<MarkerError> errors)
    {
        Path = path;
        Style = style;
        IsInstructorOnly = isInstructorOnly;
        Lines = lines;
        Regions = regions;
        OneLineStubs = oneLineStubs;
        InstructorRegions = instructorRegions;
        Errors = errors;
    }

    /// <summary>The path given to the parser; used in error messages.</summary>
    public string Path { get; }

    /// <summary>The marker style, or null for a file type the generator never looks into.</summary>
    public CommentStyle? Style { get; }

    /// <summary>The first non-blank line is the comment <c>INSTRUCTOR ONLY</c>: the file is left out of the skeleton.</summary>
    public bool IsInstructorOnly { get; }

    public IReadOnlyList<SourceLine> Lines { get; }

    public IReadOnlyList<TaskRegion> Regions { get; }

    public IReadOnlyList<OneLineStub> OneLineStubs { get; }

    public IReadOnlyList<InstructorRegion> InstructorRegions { get; }

    public IReadOnlyList<MarkerError> Errors { get; }

    /// <summary>Whether the text ended with a line terminator; the skeleton keeps the same shape.</summary>
    public bool EndsWithNewline => Lines.Count > 0 && Lines[^1].Ending.Length > 0;

    /// <summary>Whether the skeleton differs from the solution (otherwise the file is copied byte for byte).</summary>
    public bool HasMarkers => Regions.Count > 0 || OneLineStubs.Count > 0 || InstructorRegions.Count > 0;

    /// <summary>Whether a student edits this file: it has at least one task marker.</summary>
    public bool IsEditable => Regions.Count > 0 || OneLineStubs.Count > 0;

    /// <summary>Every task marker of the file, in line order.</summary>
    public IReadOnlyList<TaskMarker> Tasks =>
        Regions.Select(r => new TaskMarker(r.Id, Path, r.BeginLine, r.Instruction))
            .Concat(OneLineStubs.Select(s => new TaskMarker(s.Id, Path, s.Line, s.Replacement)))
            .OrderBy(t => t.Line)
            .ToList();
}

using System.Text.RegularExpressions;

namespace PaxosLabs.Grader.Skeletons;

internal enum MarkerKind
{
    None,
    BeginTask,
    EndTask,
    Stub,
    OneLine,
    BeginInstructor,
    EndInstructor,
}

/// <summary>
/// What one line says, before the parser looks at its context. A malformed marker keeps its kind
/// (with <see cref="Id"/> null where the id is unusable) so that the region structure, and hence
/// the errors reported after it, stay sensible.
/// </summary>
internal sealed partial record MarkerLine(
    MarkerKind Kind,
    TaskId? Id = null,
    string Text = "",
    string Code = "",
    string? Error = null)
{
    private const string IdHelp = "expected N.k with positive integers, e.g. 1.2";

    private static readonly MarkerLine Plain = new(MarkerKind.None);

    public static MarkerLine Classify(string line, CommentStyle style)
    {
        if (style.TryGetCommentText(line, out var comment))
        {
            return ClassifyComment(comment, style);
        }

        if (style.SupportsTasks && OneLineMarker().Match(line) is { Success: true } oneLine)
        {
            return ParseOneLine(line[..oneLine.Index].TrimEnd(), oneLine.Groups["rest"].Value);
        }

        return Plain;
    }

    private static MarkerLine ClassifyComment(string comment, CommentStyle style)
    {
        if (BeginInstructor().IsMatch(comment))
        {
            return new MarkerLine(MarkerKind.BeginInstructor);
        }

        if (EndInstructor().IsMatch(comment))
        {
            return new MarkerLine(MarkerKind.EndInstructor);
        }

        if (!style.SupportsTasks)
        {
            return Plain;
        }

        if (BeginTask().Match(comment) is { Success: true } begin)
        {
            return ParseBegin(begin.Groups["rest"].Value);
        }

        if (EndTask().Match(comment) is { Success: true } end)
        {
            return ParseEnd(end.Groups["rest"].Value);
        }

        if (comment == "STUB")
        {
            return new MarkerLine(MarkerKind.Stub);
        }

        if (StubTodo().IsMatch(comment))
        {
            return Plain with { Error = "a one-line `// STUB TODO(N.k): replacement` marker must follow code on the same line" };
        }

        return Plain;
    }

    private static MarkerLine ParseBegin(string rest)
    {
        var shape = IdThenText().Match(rest);
        if (!shape.Success)
        {
            return new MarkerLine(MarkerKind.BeginTask, Error: "BEGIN TODO is missing its task id: write `// BEGIN TODO(N.k): instruction`");
        }

        var idText = shape.Groups["id"].Value;
        if (!TaskId.TryParse(idText.Trim(), out var id))
        {
            return new MarkerLine(MarkerKind.BeginTask, Error: $"malformed task id '{idText}' in BEGIN TODO ({IdHelp})");
        }

        var after = shape.Groups["after"].Value;
        if (!after.StartsWith(':'))
        {
            return new MarkerLine(MarkerKind.BeginTask, id, Error: $"BEGIN TODO({id}) needs ': instruction' after the task id");
        }

        var instruction = after[1..].Trim();
        return instruction.Length == 0
            ? new MarkerLine(MarkerKind.BeginTask, id, Error: $"BEGIN TODO({id}) has an empty instruction")
            : new MarkerLine(MarkerKind.BeginTask, id, instruction);
    }

    private static MarkerLine ParseEnd(string rest)
    {
        var shape = IdThenText().Match(rest);
        if (!shape.Success)
        {
            return new MarkerLine(MarkerKind.EndTask, Error: "END TODO is missing its task id: write `// END TODO(N.k)`");
        }

        var idText = shape.Groups["id"].Value;
        if (!TaskId.TryParse(idText.Trim(), out var id))
        {
            return new MarkerLine(MarkerKind.EndTask, Error: $"malformed task id '{idText}' in END TODO ({IdHelp})");
        }

        return shape.Groups["after"].Value.Trim().Length == 0
            ? new MarkerLine(MarkerKind.EndTask, id)
            : new MarkerLine(MarkerKind.EndTask, id, Error: $"unexpected text after END TODO({id})");
    }

    private static MarkerLine ParseOneLine(string code, string rest)
    {
        var shape = IdThenText().Match(rest);
        if (!shape.Success)
        {
            return new MarkerLine(MarkerKind.OneLine, Code: code, Error: "STUB TODO is missing its task id: write `code // STUB TODO(N.k): replacement`");
        }

        var idText = shape.Groups["id"].Value;
        if (!TaskId.TryParse(idText.Trim(), out var id))
        {
            return new MarkerLine(MarkerKind.OneLine, Code: code, Error: $"malformed task id '{idText}' in STUB TODO ({IdHelp})");
        }

        var after = shape.Groups["after"].Value;
        if (!after.StartsWith(':'))
        {
            return new MarkerLine(MarkerKind.OneLine, id, Code: code, Error: $"STUB TODO({id}) needs ': replacement' after the task id");
        }

        var replacement = after[1..].Trim();
        return replacement.Length == 0
            ? new MarkerLine(MarkerKind.OneLine, id, Code: code, Error: $"STUB TODO({id}) has an empty replacement")
            : new MarkerLine(MarkerKind.OneLine, id, replacement, code);
    }

    [GeneratedRegex(@"^BEGIN\s+INSTRUCTOR\b")]
    private static partial Regex BeginInstructor();

    [GeneratedRegex(@"^END\s+INSTRUCTOR\b")]
    private static partial Regex EndInstructor();

    [GeneratedRegex(@"^BEGIN\s+TODO\b\s*(?<rest>.*)$")]
    private static partial Regex BeginTask();

    [GeneratedRegex(@"^END\s+TODO\b\s*(?<rest>.*)$")]
    private static partial Regex EndTask();

    [GeneratedRegex(@"^STUB\s+TODO\b")]
    private static partial Regex StubTodo();

    [GeneratedRegex(@"//\s*STUB\s+TODO\b\s*(?<rest>.*)$")]
    private static partial Regex OneLineMarker();

    [GeneratedRegex(@"^\((?<id>[^)]*)\)\s*(?<after>.*)$")]
    private static partial Regex IdThenText();
}

using System.Globalization;
using System.Text;

namespace PaxosLabs.Grader.Skeletons;

/// <summary>
/// A piece of a rendered file. <see cref="Task"/> is null for text the skeleton and the solution
/// share (then <see cref="Stub"/> and <see cref="Solution"/> are equal); otherwise the part is one
/// task region or one-line stub, as the skeleton shows it and as it reads once its solution is published.
/// Texts include their line terminators.
/// </summary>
public sealed record RenderedPart(TaskId? Task, string Stub, string Solution)
{
    public static RenderedPart Shared(string text) => new(null, text, text);
}

/// <summary>Turns a parsed solution file into the text of its skeleton.</summary>
public static class SkeletonRenderer
{
    public static string Render(ParsedFile file, AssignmentFolders assignments) =>
        Join(file, Parts(file, assignments).Select(p => p.Stub));

    /// <summary>
    /// The file cut into parts in line order: text shared by the skeleton and the solution, and one
    /// part per task region or one-line stub with both its skeleton and its solution text. Instructor
    /// regions are parts with no text at all. The stubs joined make <see cref="Render"/>.
    /// </summary>
    public static IReadOnlyList<RenderedPart> Parts(ParsedFile file, AssignmentFolders assignments)
    {
        if (file.Errors.Count > 0)
        {
            throw new InvalidOperationException($"{file.Path} has marker errors; its skeleton cannot be rendered.");
        }

        var regions = file.Regions.ToDictionary(r => r.BeginLine);
        var oneLiners = file.OneLineStubs.ToDictionary(s => s.Line);
        var instructor = file.InstructorRegions.ToDictionary(r => r.BeginLine);
        var parts = new List<RenderedPart>();
        var shared = new StringBuilder();
        void Flush()
        {
            if (shared.Length > 0)
            {
                parts.Add(RenderedPart.Shared(shared.ToString()));
                shared.Clear();
            }
        }

        var lines = file.Lines;
        for (var index = 0; index < lines.Count; index++)
        {
            var line = lines[index];
            if (regions.TryGetValue(line.Number, out var region))
            {
                Flush();
                parts.Add(new RenderedPart(region.Id, RenderRegion(file, region, assignments), PublishRegion(file, region)));
                index = region.EndLine - 1; // continue after END
            }
            else if (instructor.TryGetValue(line.Number, out var secret))
            {
                index = secret.EndLine - 1;
            }
            else if (oneLiners.TryGetValue(line.Number, out var stub))
            {
                Flush();
                parts.Add(new RenderedPart(
                    stub.Id,
                    string.Create(CultureInfo.InvariantCulture, $"{stub.Indent}{stub.Replacement} // TODO({stub.Id})") + line.Ending,
                    stub.Code + line.Ending));
            }
            else
            {
                shared.Append(line.Text).Append(line.Ending);
            }
        }

        Flush();
        return parts;
    }

    /// <summary>Joins rendered texts into a file with the final-newline shape of <paramref name="file"/>.</summary>
    public static string Join(ParsedFile file, IEnumerable<string> texts)
    {
        var text = string.Concat(texts);
        return file.EndsWithNewline ? text : TrimFinalNewline(text);
    }

    /// <summary>
    /// The stub for a region without a STUB section:
    /// <c>throw new NotImplementedException("TODO(1.1): instruction See assignments/01-x/README.md, task 1.1.");</c>
    /// </summary>
    public static string DefaultStub(TaskId id, string instruction, AssignmentFolders assignments)
    {
        var message = $"TODO({id}): {instruction}";
        if (assignments.ReadmeFor(id.Stage) is { } readme)
        {
            message += $" See {readme}, task {id}.";
        }

        return $"throw new NotImplementedException({CSharpString(message)});";
    }

    /// <summary>A C# string literal for <paramref name="text"/>, with quotes, backslashes and control characters escaped.</summary>
    public static string CSharpString(string text)
    {
        var literal = new StringBuilder("\"");
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => literal.Append("\\\""),
                '\\' => literal.Append("\\\\"),
                '\t' => literal.Append("\\t"),
                _ when char.IsControl(c) => literal.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => literal.Append(c),
            };
        }

        return literal.Append('"').ToString();
    }

    private static string RenderRegion(ParsedFile file, TaskRegion region, AssignmentFolders assignments)
    {
        var output = new StringBuilder();
        var ending = file.Lines[region.BeginLine - 1].Ending;
        output.Append(CultureInfo.InvariantCulture, $"{region.Indent}// TODO({region.Id}): {region.Instruction}").Append(ending);
        if (region.StubLine is { } stubLine)
        {
            foreach (var line in file.Lines.Skip(stubLine).Take(region.EndLine - stubLine - 1))
            {
                output.Append(ParserState.Uncomment(line.Text)).Append(line.Ending);
            }
        }
        else if (file.Style!.DefaultStubThrows)
        {
            output.Append(region.Indent).Append(DefaultStub(region.Id, region.Instruction, assignments)).Append(ending);
        }

        return output.ToString();
    }

    /// <summary>A region once its solution is published: a comment naming the task (not a TODO any more) and the solution lines.</summary>
    private static string PublishRegion(ParsedFile file, TaskRegion region)
    {
        var output = new StringBuilder();
        var ending = file.Lines[region.BeginLine - 1].Ending;
        output.Append(CultureInfo.InvariantCulture, $"{region.Indent}// Task {region.Id} (published solution): {region.Instruction}").Append(ending);
        foreach (var line in file.Lines.Skip(region.FirstSolutionLine - 1).Take(region.LastSolutionLine - region.FirstSolutionLine + 1))
        {
            output.Append(line.Text).Append(line.Ending);
        }

        return output.ToString();
    }

    private static string TrimFinalNewline(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
        : text.EndsWith('\n') ? text[..^1]
        : text;
}

using System.Globalization;
using System.Text;

namespace PaxosLabs.Grader.Skeletons;

/// <summary>Turns a parsed solution file into the text of its skeleton.</summary>
public static class SkeletonRenderer
{
    public static string Render(ParsedFile file, AssignmentFolders assignments)
    {
        if (file.Errors.Count > 0)
        {
            throw new InvalidOperationException($"{file.Path} has marker errors; its skeleton cannot be rendered.");
        }

        var regions = file.Regions.ToDictionary(r => r.BeginLine);
        var oneLiners = file.OneLineStubs.ToDictionary(s => s.Line);
        var instructor = file.InstructorRegions.ToDictionary(r => r.BeginLine);
        var output = new StringBuilder();
        var lines = file.Lines;
        for (var index = 0; index < lines.Count; index++)
        {
            var line = lines[index];
            if (regions.TryGetValue(line.Number, out var region))
            {
                RenderRegion(output, file, region, assignments);
                index = region.EndLine - 1; // continue after END
            }
            else if (instructor.TryGetValue(line.Number, out var secret))
            {
                index = secret.EndLine - 1;
            }
            else if (oneLiners.TryGetValue(line.Number, out var stub))
            {
                output.Append(CultureInfo.InvariantCulture, $"{stub.Indent}{stub.Replacement} // TODO({stub.Id})").Append(line.Ending);
            }
            else
            {
                output.Append(line.Text).Append(line.Ending);
            }
        }

        return file.EndsWithNewline ? output.ToString() : TrimFinalNewline(output.ToString());
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

    private static void RenderRegion(StringBuilder output, ParsedFile file, TaskRegion region, AssignmentFolders assignments)
    {
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
    }

    private static string TrimFinalNewline(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
        : text.EndsWith('\n') ? text[..^1]
        : text;
}

using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Mutants;

/// <summary>
/// Reads the mutant format: <c>key: value</c> header lines (<c>file</c>, <c>task</c>, <c>rule</c>,
/// <c>description</c>; blank lines and <c>#</c> comments ignored), then the exact text to find
/// between <c>--- find</c> and <c>--- replace</c>, and its replacement up to <c>--- end</c>.
/// </summary>
public static class MutantFile
{
    public const string Extension = ".mutant";

    private static readonly string[] Keys = ["file", "task", "rule", "description"];

    /// <param name="path">The mutant file's path, for messages; its name without the extension is the id.</param>
    /// <param name="text">Its contents.</param>
    /// <exception cref="MutantException">A field is missing, repeated or unknown, or a block is malformed.</exception>
    public static Mutant Parse(string path, string text)
    {
        var (fields, find, replace) = Read(path, text, Keys);
        var file = fields["file"].Replace('\\', '/');
        if (!file.StartsWith(SkeletonGenerator.SolutionsFolder + "/", StringComparison.Ordinal) || file.Split('/').Contains(".."))
        {
            throw new MutantException(path, $"'file: {file}' must name a file under {SkeletonGenerator.SolutionsFolder}/");
        }

        if (!TaskId.TryParse(fields["task"], out var task))
        {
            throw new MutantException(path, $"'task: {fields["task"]}' is not a task id such as 2.1");
        }

        var id = Path.GetFileNameWithoutExtension(path);
        return new Mutant(id, file, task, fields["rule"], fields["description"], find, replace);
    }

    /// <summary>
    /// Reads a bank file (a mutant or an attack): <c>key: value</c> header lines of the given
    /// <paramref name="keys"/>, each once and not empty (blank lines and <c>#</c> comments ignored),
    /// then the text to find and its replacement.
    /// </summary>
    /// <exception cref="MutantException">A field is missing, repeated or unknown, or a block is malformed.</exception>
    public static (IReadOnlyDictionary<string, string> Fields, string Find, string Replace) Read(string path, string text, IReadOnlyCollection<string> keys)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = 0;
        for (; index < lines.Length && !lines[index].StartsWith("---", StringComparison.Ordinal); index++)
        {
            var line = lines[index].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var key = colon < 0 ? line : line[..colon].Trim();
            if (colon < 0 || !keys.Contains(key))
            {
                throw Error(path, index, $"expected one of {string.Join(", ", keys.Select(k => k + ":"))} or '--- find', not '{line}'");
            }

            if (!fields.TryAdd(key, line[(colon + 1)..].Trim()))
            {
                throw Error(path, index, $"'{key}:' given twice");
            }
        }

        foreach (var key in keys.Where(k => !fields.TryGetValue(k, out var value) || value.Length == 0))
        {
            throw new MutantException(path, $"the field '{key}:' is missing or empty");
        }

        var find = Block(path, lines, ref index, "--- find", "--- replace");
        var replace = Block(path, lines, ref index, "--- replace", "--- end");
        index++; // past '--- end'
        if (find.Trim().Length == 0)
        {
            throw new MutantException(path, "the text after '--- find' is empty");
        }

        if (find == replace)
        {
            throw new MutantException(path, "the replacement is the text it replaces: it changes nothing");
        }

        if (lines.Skip(index).Any(l => l.Trim().Length > 0))
        {
            throw Error(path, index, "text after '--- end'");
        }

        return (fields, find, replace);
    }

    /// <summary>The lines after the <paramref name="opening"/> line up to the <paramref name="closing"/> line, joined with "\n"; leaves <paramref name="index"/> at the closing line.</summary>
    private static string Block(string path, string[] lines, ref int index, string opening, string closing)
    {
        if (index >= lines.Length || lines[index].TrimEnd() != opening)
        {
            throw Error(path, index, $"expected '{opening}'");
        }

        var start = ++index;
        while (index < lines.Length && !lines[index].StartsWith("---", StringComparison.Ordinal))
        {
            index++;
        }

        if (index >= lines.Length || lines[index].TrimEnd() != closing)
        {
            throw Error(path, index, $"expected '{closing}'");
        }

        return string.Join('\n', lines[start..index]);
    }

    private static MutantException Error(string path, int index, string message) =>
        new(path, $"line {index + 1}: {message}");
}

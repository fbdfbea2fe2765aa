namespace PaxosLabs.Grader.Tests.Handout;

/// <summary>
/// Reads the block-style YAML subset the kit's workflows are written in (mappings, sequences of
/// mappings or scalars, <c>|</c> literal blocks, quoted or plain scalars, comments on their own line)
/// into dictionaries, lists and strings, so tests can check a workflow's structure without a YAML
/// package. Anything outside the subset (a tab, a bad indentation, a flow mapping) throws, so a
/// malformed workflow fails its test.
/// </summary>
internal static class WorkflowYaml
{
    public static Dictionary<string, object?> Parse(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var at = 0;
        Skip(lines, ref at);
        var root = ParseBlock(lines, ref at, 0);
        Skip(lines, ref at);
        if (at < lines.Length)
        {
            throw new FormatException($"line {at + 1}: unexpected indentation: {lines[at]}");
        }

        return root as Dictionary<string, object?> ?? throw new FormatException("the document is not a mapping");
    }

    /// <summary>The mapping at a path of keys (and sequence indexes), e.g. <c>Map(doc, "jobs", "grade")</c>.</summary>
    public static Dictionary<string, object?> Map(object? node, params object[] path) =>
        At(node, path) as Dictionary<string, object?> ?? throw new KeyNotFoundException($"{string.Join('.', path)} is not a mapping");

    public static List<object?> List(object? node, params object[] path) =>
        At(node, path) as List<object?> ?? throw new KeyNotFoundException($"{string.Join('.', path)} is not a sequence");

    public static string Text(object? node, params object[] path) =>
        At(node, path) as string ?? throw new KeyNotFoundException($"{string.Join('.', path)} is not a scalar");

    /// <summary>The steps of a job, each a mapping.</summary>
    public static List<Dictionary<string, object?>> Steps(Dictionary<string, object?> workflow, string job) =>
        [.. List(workflow, "jobs", job, "steps").Select(s => s as Dictionary<string, object?> ?? throw new FormatException($"a step of {job} is not a mapping"))];

    /// <summary>The one step of a job with this name.</summary>
    public static Dictionary<string, object?> Step(Dictionary<string, object?> workflow, string job, string name) =>
        Steps(workflow, job).Single(s => s.TryGetValue("name", out var n) && Equals(n, name));

    private static object? At(object? node, object[] path)
    {
        foreach (var key in path)
        {
            node = (key, node) switch
            {
                (string k, Dictionary<string, object?> map) when map.TryGetValue(k, out var value) => value,
                (int i, List<object?> list) when i < list.Count => list[i],
                _ => throw new KeyNotFoundException($"no {key} in {string.Join('.', path)}"),
            };
        }

        return node;
    }

    private static object? ParseBlock(string[] lines, ref int at, int indent) =>
        lines[at][indent..].StartsWith("- ", StringComparison.Ordinal) ? ParseSequence(lines, ref at, indent) : ParseMapping(lines, ref at, indent);

    private static List<object?> ParseSequence(string[] lines, ref int at, int indent)
    {
        var items = new List<object?>();
        while (at < lines.Length && Indent(lines[at]) == indent && lines[at][indent..].StartsWith("- ", StringComparison.Ordinal))
        {
            var content = lines[at][(indent + 2)..];
            if (KeyOf(content) is null)
            {
                items.Add(Scalar(content));
                at++;
                Skip(lines, ref at);
                continue;
            }

            // "- key: value" opens a mapping whose keys stand two columns further in.
            lines[at] = new string(' ', indent + 2) + content;
            items.Add(ParseMapping(lines, ref at, indent + 2));
        }

        return items;
    }

    private static Dictionary<string, object?> ParseMapping(string[] lines, ref int at, int indent)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (at < lines.Length && Indent(lines[at]) == indent)
        {
            var line = lines[at][indent..];
            if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                throw new FormatException($"line {at + 1}: a sequence item where a key was expected: {lines[at]}");
            }

            var key = KeyOf(line) ?? throw new FormatException($"line {at + 1}: not `key: value`: {lines[at]}");
            var rest = line[(key.Length + 1)..].Trim();
            var name = Unquote(key);
            if (!map.TryAdd(name, null))
            {
                throw new FormatException($"line {at + 1}: the key {name} twice");
            }

            at++;
            if (rest is "|" or "|-")
            {
                map[name] = Literal(lines, ref at, indent);
            }
            else if (rest.Length > 0)
            {
                map[name] = Scalar(rest);
                Skip(lines, ref at);
            }
            else
            {
                Skip(lines, ref at);
                if (at < lines.Length && Indent(lines[at]) > indent)
                {
                    map[name] = ParseBlock(lines, ref at, Indent(lines[at]));
                }
            }
        }

        if (at < lines.Length && Indent(lines[at]) > indent)
        {
            throw new FormatException($"line {at + 1}: unexpected indentation: {lines[at]}");
        }

        return map;
    }

    /// <summary>A <c>|</c> block: the following lines indented further, less their common indentation, each ending in a newline.</summary>
    private static string Literal(string[] lines, ref int at, int indent)
    {
        var block = new List<string>();
        var inner = -1;
        while (at < lines.Length && (lines[at].Trim().Length == 0 || Indent(lines[at]) > indent))
        {
            if (lines[at].Trim().Length > 0 && inner < 0)
            {
                inner = Indent(lines[at]);
            }
            else if (lines[at].Trim().Length > 0 && Indent(lines[at]) < inner)
            {
                throw new FormatException($"line {at + 1}: less indented than the first line of its block: {lines[at]}");
            }

            block.Add(lines[at]);
            at++;
        }

        while (block.Count > 0 && block[^1].Trim().Length == 0)
        {
            block.RemoveAt(block.Count - 1);
        }

        Skip(lines, ref at);
        return string.Concat(block.Select(l => (l.Length >= inner ? l[inner..] : "") + "\n"));
    }

    /// <summary>The key of <c>key: value</c> or <c>key:</c>, or null for a plain scalar.</summary>
    private static string? KeyOf(string line)
    {
        if (line.StartsWith('"') || line.StartsWith('\''))
        {
            var end = line.IndexOf(line[0], 1);
            return end > 0 && line.Length > end + 1 && line[end + 1] == ':' ? line[..(end + 1)] : null;
        }

        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0 && line.EndsWith(':'))
        {
            colon = line.Length - 1;
        }

        return colon > 0 && !line[..colon].Contains(' ', StringComparison.Ordinal) ? line[..colon] : null;
    }

    private static string Scalar(string text)
    {
        var value = text.Trim();
        if (value.StartsWith('{') || value.StartsWith('['))
        {
            throw new FormatException($"flow collections are outside the subset: {value}");
        }

        return Unquote(value);
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0]
            ? value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal)
            : value;

    private static int Indent(string line)
    {
        if (line.Contains('\t', StringComparison.Ordinal))
        {
            throw new FormatException($"a tab in: {line}");
        }

        return line.Length - line.TrimStart(' ').Length;
    }

    /// <summary>Moves past blank lines and comment lines.</summary>
    private static void Skip(string[] lines, ref int at)
    {
        while (at < lines.Length && (lines[at].Trim().Length == 0 || lines[at].TrimStart().StartsWith('#')))
        {
            at++;
        }
    }
}

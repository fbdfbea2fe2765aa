namespace PaxosLabs.Grader.Skeletons;

/// <summary>A solution line found in the skeleton (line numbers are 1-based).</summary>
public sealed record Leak(string Path, int SolutionLine, int SkeletonLine, string Text)
{
    public override string ToString() =>
        $"{Path}:{SolutionLine}: solution line appears in the skeleton at line {SkeletonLine}: {Text}";
}

/// <summary>
/// Finds solution code that made it into a skeleton, typically through a stub that gives the
/// answer away. Lines are compared with surrounding whitespace trimmed and inner runs of
/// whitespace collapsed.
/// </summary>
public static class LeakCheck
{
    private const int MinimumSignificantLength = 12;

    /// <summary>
    /// Reports every line of a solution region, one-line stub code or instructor region of
    /// <paramref name="solution"/> that also appears in <paramref name="skeletonText"/>, except
    /// trivial lines and lines that the solution also has outside every region (those are shared
    /// on purpose).
    /// </summary>
    public static IReadOnlyList<Leak> Find(ParsedFile solution, string skeletonText)
    {
        var secret = SecretLines(solution);
        var shared = SharedLines(solution, secret);

        var firstInSkeleton = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in MarkerParser.SplitLines(skeletonText))
        {
            firstInSkeleton.TryAdd(Normalize(line.Text), line.Number);
        }

        return secret
            .OrderBy(pair => pair.Key)
            .Select(pair => (Line: pair.Key, Text: Normalize(pair.Value)))
            .Where(s => !IsTrivial(s.Text) && !shared.Contains(s.Text) && firstInSkeleton.ContainsKey(s.Text))
            .Select(s => new Leak(solution.Path, s.Line, firstInSkeleton[s.Text], s.Text))
            .ToList();
    }

    /// <summary>Parses <paramref name="solutionText"/> as <paramref name="relativePath"/> and checks it against the skeleton text.</summary>
    public static IReadOnlyList<Leak> Find(string relativePath, string solutionText, string skeletonText) =>
        Find(MarkerParser.Parse(relativePath, solutionText), skeletonText);

    /// <summary>
    /// The lines of <paramref name="solution"/> that give a solution away (those <see cref="Find"/>
    /// looks for), normalized: whitespace trimmed and inner runs collapsed to one space.
    /// </summary>
    public static IReadOnlyList<string> SecretText(ParsedFile solution)
    {
        var secret = SecretLines(solution);
        var shared = SharedLines(solution, secret);
        return [.. secret.Values.Select(Normalize).Where(t => !IsTrivial(t) && !shared.Contains(t)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The <paramref name="secrets"/> (from <see cref="SecretText"/>) that occur anywhere in
    /// <paramref name="text"/> (a report, whose lines may be indented, quoted or wrapped): whitespace
    /// is collapsed before looking, in the text as it is, with XML escapes undone, and, for JSON, in its strings.
    /// </summary>
    public static IReadOnlyList<string> FindIn(IEnumerable<string> secrets, string text)
    {
        var readings = string.Join('\n', [Normalize(text), Normalize(System.Net.WebUtility.HtmlDecode(text)), .. JsonStrings(text).Select(Normalize)]);
        return [.. secrets.Where(secret => readings.Contains(secret, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Every string of a JSON document (none when the text is not JSON).</summary>
    private static IEnumerable<string> JsonStrings(string text)
    {
        if (!text.TrimStart().StartsWith('{') && !text.TrimStart().StartsWith('['))
        {
            return [];
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return Strings(document.RootElement).ToList();
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }

        static IEnumerable<string> Strings(System.Text.Json.JsonElement element) => element.ValueKind switch
        {
            System.Text.Json.JsonValueKind.String => [element.GetString() ?? ""],
            System.Text.Json.JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
            System.Text.Json.JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
            _ => [],
        };
    }

    private static HashSet<string> SharedLines(ParsedFile solution, Dictionary<int, string> secret) =>
        solution.Lines
            .Where(l => !secret.ContainsKey(l.Number) && !InsideAnyRegion(solution, l.Number))
            .Select(l => Normalize(l.Text))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Too short or too bare (only punctuation and braces) to say anything about a solution.</summary>
    public static bool IsTrivial(string line) =>
        line.Count(c => !char.IsWhiteSpace(c)) < MinimumSignificantLength || !line.Any(char.IsLetterOrDigit);

    /// <summary>Line number to text of every line that must not reach the skeleton.</summary>
    private static Dictionary<int, string> SecretLines(ParsedFile file)
    {
        var secret = new Dictionary<int, string>();
        foreach (var region in file.Regions)
        {
            for (var n = region.FirstSolutionLine; n <= region.LastSolutionLine; n++)
            {
                secret[n] = file.Lines[n - 1].Text;
            }
        }

        foreach (var stub in file.OneLineStubs)
        {
            secret[stub.Line] = stub.Code;
        }

        foreach (var region in file.InstructorRegions)
        {
            for (var n = region.BeginLine + 1; n < region.EndLine; n++)
            {
                secret[n] = file.Lines[n - 1].Text;
            }
        }

        return secret;
    }

    private static bool InsideAnyRegion(ParsedFile file, int line) =>
        file.Regions.Any(r => r.BeginLine <= line && line <= r.EndLine)
        || file.InstructorRegions.Any(r => r.BeginLine <= line && line <= r.EndLine);

    /// <summary>Whitespace trimmed and inner runs (line breaks too) collapsed to one space.</summary>
    public static string Normalize(string line) =>
        string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

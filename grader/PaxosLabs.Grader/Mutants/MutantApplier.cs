using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Mutants;

/// <summary>Applies a mutant to the text of its solution file, after checking it could be a student's submission.</summary>
public static class MutantApplier
{
    /// <param name="mutantPath">The mutant file, for messages.</param>
    /// <param name="mutant">The mutant.</param>
    /// <param name="solutionText">The solution file's text.</param>
    /// <returns>The mutated text, with the file's own line endings.</returns>
    /// <exception cref="MutantException">The text to find occurs not exactly once, or not only inside one task region.</exception>
    public static string Apply(string mutantPath, Mutant mutant, string solutionText)
    {
        var crlf = solutionText.Contains("\r\n", StringComparison.Ordinal);
        var text = solutionText.ReplaceLineEndings("\n");
        var at = text.IndexOf(mutant.Find, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new MutantException(mutantPath, $"the text after '--- find' does not occur in {mutant.File}");
        }

        if (text.IndexOf(mutant.Find, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new MutantException(mutantPath, $"the text after '--- find' occurs more than once in {mutant.File}: add a neighbouring line to make it unique");
        }

        var first = LineOf(text, at);
        var last = LineOf(text, at + mutant.Find.Length - 1);
        if (!InsideOneRegion(MarkerParser.Parse(mutant.File, text), first, last))
        {
            throw new MutantException(mutantPath, $"the text after '--- find' ({mutant.File}:{first}-{last}) is not inside one TODO region: a student could not have written it");
        }

        var mutated = string.Concat(text.AsSpan(0, at), mutant.Replace, text.AsSpan(at + mutant.Find.Length));
        return crlf ? mutated.Replace("\n", "\r\n", StringComparison.Ordinal) : mutated;
    }

    /// <summary>Whether lines <paramref name="first"/>..<paramref name="last"/> are solution lines of one region, or the line of a one-line stub.</summary>
    public static bool InsideOneRegion(ParsedFile parsed, int first, int last) =>
        parsed.Regions.Any(r => first >= r.FirstSolutionLine && last <= r.LastSolutionLine)
        || parsed.OneLineStubs.Any(s => first == s.Line && last == s.Line);

    private static int LineOf(string text, int index) => 1 + text.AsSpan(0, index).Count('\n');
}

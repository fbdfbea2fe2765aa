using System.Text;
using System.Text.RegularExpressions;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Handout;

/// <summary>
/// Finds what the handout's files cite but the handout lacks. Students have nothing but the
/// handout, so a rule cited from a document they never got, a link to a missing file or heading,
/// or a section number that does not exist is a dead end for them. In every text file it checks:
/// <list type="number">
/// <item>no mention of the external specification the kit once cited (<c>SPEC §N</c>, <c>SPEC.md</c>):
/// the rules are in <see cref="Protocol"/>;</item>
/// <item>every relative Markdown link of a <c>.md</c> file names a file (or folder) of the handout,
/// and an anchor into a <c>.md</c> file names one of its headings (GitHub's anchors);</item>
/// <item>every path-like mention <c>docs/…</c>, <c>assignments/…</c>, <c>protos/…</c>, and of the kit-only <c>solutions/…</c>, <c>skeletons/…</c>, <c>grader/…</c> (code comments
/// and stub messages too) names a file or folder of the handout (<c>*</c> matches within one folder);</item>
/// <item>every section citation <c>§N.k</c> (usually written <c>protocol §N.k</c>) names a numbered
/// heading of <see cref="Protocol"/>, the kit's only document with numbered sections.</item>
/// </list>
/// </summary>
public static partial class HandoutReferences
{
    /// <summary>The document whose numbered sections <c>protocol §N.k</c> cites.</summary>
    public const string Protocol = "docs/protocol.md";

    /// <summary>Every dangling reference, as <c>path:line: cites X, which the handout does not contain</c>, by path and line.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<HandoutFile> files)
    {
        var handout = new Files(files);
        var problems = new List<Problem>();
        foreach (var (path, text) in handout.Texts)
        {
            var mentionable = text;
            if (path.EndsWith(".md", StringComparison.Ordinal))
            {
                mentionable = CheckLinks(handout, path, text, problems);
            }

            Find(SpecMention(), text, path, problems, _ => " (the kit's rules are in docs/protocol.md: cite them as protocol §N.k)");
            Find(PathMention(), mentionable, path, problems, m => handout.Missing(TrimSentenceEnd(m.Value)));
            Find(Citation(), text, path, problems, m => handout.MissingSection(m.Groups["section"].Value));
        }

        return Sorted(problems);
    }

    /// <summary>
    /// Only the section citations (<c>§N.k</c>) of <paramref name="files"/>, against the numbered
    /// headings of <paramref name="protocol"/> (the text of docs/protocol.md). For kit files that
    /// never reach the handout whole, such as the mutant bank's rules.
    /// </summary>
    public static IReadOnlyList<string> CheckCitations(IReadOnlyList<HandoutFile> files, string protocol)
    {
        var handout = new Files([.. files, new HandoutFile(Protocol, Encoding.UTF8.GetBytes(protocol))]);
        var problems = new List<Problem>();
        foreach (var (path, text) in handout.Texts.Where(t => t.Key != Protocol))
        {
            Find(Citation(), text, path, problems, m => handout.MissingSection(m.Groups["section"].Value));
        }

        return Sorted(problems);
    }

    /// <summary>The section numbers of a protocol document: "0", "0.1", … from headings such as <c>### 0.1 Node ids</c>.</summary>
    public static IReadOnlySet<string> Sections(string protocol) =>
        MarkdownHeadings.Titles(protocol)
            .Select(t => SectionNumber().Match(t))
            .Where(m => m.Success)
            .Select(m => m.Groups["section"].Value)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Checks the relative links of a Markdown file (outside code, where they are only text).
    /// Returns its text with the link targets blanked out, for the search of path-like mentions: a
    /// link target is relative to the file, not to the handout's root, and is checked here already.
    /// </summary>
    private static string CheckLinks(Files handout, string path, string text, List<Problem> problems)
    {
        var prose = BlankCode(text);
        var rest = new StringBuilder(text);
        foreach (Match link in Link().Matches(prose))
        {
            var target = link.Groups["target"];
            Blank(rest, target.Index, target.Length);
            var value = target.Value.Trim('<', '>');
            if (Scheme().IsMatch(value) || value.StartsWith("//", StringComparison.Ordinal))
            {
                continue; // a web address, not a file of the handout
            }

            var why = Resolve(path, value) is { } resolved
                ? handout.Missing(resolved)
                : " (the path leads out of the handout)";
            if (why is not null)
            {
                problems.Add(new Problem(path, target.Index, LineOf(text, target.Index), $"cites {value}, which the handout does not contain{why}"));
            }
        }

        return rest.ToString();
    }

    /// <summary>A link target made relative to the handout's root (an anchor kept), or null when it climbs above the root.</summary>
    private static string? Resolve(string from, string target)
    {
        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var (file, anchor) = hash < 0 ? (target, "") : (target[..hash], target[hash..]);
        if (file.Length == 0)
        {
            return from + anchor;
        }

        var folder = from.Contains('/', StringComparison.Ordinal) ? from[..from.LastIndexOf('/')] : "";
        var start = file.StartsWith('/') ? "" : folder;
        var segments = new List<string>();
        foreach (var segment in (start + "/" + Uri.UnescapeDataString(file)).Split('/'))
        {
            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    return null;
                }

                segments.RemoveAt(segments.Count - 1);
            }
            else if (segment is not ("" or "."))
            {
                segments.Add(segment);
            }
        }

        return string.Join('/', segments) + (file.EndsWith('/') ? "/" : "") + anchor;
    }

    private static void Find(Regex pattern, string text, string path, List<Problem> problems, Func<Match, string?> why)
    {
        foreach (Match match in pattern.Matches(text))
        {
            if (why(match) is { } detail)
            {
                problems.Add(new Problem(path, match.Index, LineOf(text, match.Index), $"cites {TrimSentenceEnd(match.Value)}, which the handout does not contain{detail}"));
            }
        }
    }

    /// <summary>A path at the end of a sentence ("see docs/protocol.md.") does not own the full stop.</summary>
    private static string TrimSentenceEnd(string mention) => mention.TrimEnd('.');

    /// <summary>The Markdown text with fenced code blocks and code spans replaced by spaces (line breaks kept), so that positions stay.</summary>
    private static string BlankCode(string markdown)
    {
        var lines = markdown.Split('\n');
        var prose = new HashSet<int>(MarkdownHeadings.OutsideFences(markdown).Select(l => l.Number - 1));
        for (var i = 0; i < lines.Length; i++)
        {
            if (!prose.Contains(i))
            {
                lines[i] = new string(' ', lines[i].Length);
            }
        }

        var text = new StringBuilder(string.Join('\n', lines));
        foreach (Match span in CodeSpan().Matches(text.ToString()))
        {
            Blank(text, span.Index, span.Length);
        }

        return text.ToString();
    }

    private static void Blank(StringBuilder text, int start, int length)
    {
        for (var i = start; i < start + length; i++)
        {
            if (text[i] != '\n')
            {
                text[i] = ' ';
            }
        }
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    private static List<string> Sorted(List<Problem> problems) =>
        [.. problems.OrderBy(p => p.Path, StringComparer.Ordinal).ThenBy(p => p.At).Select(p => $"{p.Path}:{p.Line}: {p.Message}")];

    /// <summary>A dangling reference at character <paramref name="At"/> (for the order) of line <paramref name="Line"/>.</summary>
    private sealed record Problem(string Path, int At, int Line, string Message);

    /// <summary>The handout's paths and the text of its text files, with the headings and sections they offer.</summary>
    private sealed class Files
    {
        private readonly Dictionary<string, IReadOnlySet<string>> _anchors = new(StringComparer.Ordinal);
        private readonly IReadOnlySet<string>? _sections;

        public Files(IReadOnlyList<HandoutFile> files)
        {
            Paths = [.. files.Select(f => f.RelativePath)];
            foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
            {
                if (KitFiles.TryDecode(file.Content, out var text, out _))
                {
                    Texts[file.RelativePath] = text.ReplaceLineEndings("\n");
                }
            }

            _sections = Texts.TryGetValue(Protocol, out var protocol) ? Sections(protocol) : null;
        }

        public List<string> Paths { get; }

        public SortedDictionary<string, string> Texts { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// Null when <paramref name="mention"/> (a path from the root, maybe a folder ending in '/',
        /// maybe with '*' and a '#anchor') names something of the handout; else why not, for the message.
        /// </summary>
        public string? Missing(string mention)
        {
            var hash = mention.IndexOf('#', StringComparison.Ordinal);
            var (path, anchor) = hash < 0 ? (mention, "") : (mention[..hash], mention[(hash + 1)..]);
            var pattern = new Regex(
                "^" + Regex.Escape(path).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + (path.EndsWith('/') ? ".+" : "(/.+)?") + "$",
                RegexOptions.CultureInvariant,
                TimeSpan.FromSeconds(1));
            if (!Paths.Any(pattern.IsMatch))
            {
                return "";
            }

            if (anchor.Length == 0 || !Texts.TryGetValue(path, out var markdown) || !path.EndsWith(".md", StringComparison.Ordinal))
            {
                return null;
            }

            if (!_anchors.TryGetValue(path, out var anchors))
            {
                _anchors[path] = anchors = MarkdownHeadings.Anchors(markdown);
            }

            return anchors.Contains(anchor) ? null : $" ({path} has no heading whose anchor is #{anchor})";
        }

        /// <summary>Null when the protocol has section <paramref name="number"/>; else why not.</summary>
        public string? MissingSection(string number) =>
            _sections is null ? $" (the handout has no {Protocol})"
            : _sections.Contains(number) ? null
            : $" ({Protocol} has no section {number})";
    }

    /// <summary>The external specification the kit once cited, in any of the ways it was cited.</summary>
    [GeneratedRegex(@"(?:\bSPEC\b(?:\.md\b)?|\b(?i:spec\.md)\b)(?:\s*§\s*\d+(?:\.\d+)*)?")]
    private static partial Regex SpecMention();

    /// <summary>
    /// docs/…, assignments/…, protos/…, and the kit-only solutions/…, skeletons/…, grader/… (never in a
    /// handout), that start a path: not the tail of a longer path, an address or an MSBuild
    /// expression such as <c>$(RepoRoot)solutions/</c>.
    /// </summary>
    [GeneratedRegex(@"(?<![\w.$/\\)-])(?:docs|assignments|protos|solutions|skeletons|grader)/[\w.\-/*]*(?:#[\w\-]+)?")]
    private static partial Regex PathMention();

    /// <summary>A section citation, with the words that name the protocol when they are there; not a SPEC one (reported as such).</summary>
    [GeneratedRegex(@"(?<!SPEC\s*)(?:(?:docs/)?protocol(?:\.md)?\s+)?§\s*(?<section>\d+(?:\.\d+)*)")]
    private static partial Regex Citation();

    [GeneratedRegex(@"^(?<section>\d+(?:\.\d+)*)\.?(?:\s|$)")]
    private static partial Regex SectionNumber();

    /// <summary>An inline link or image: [text](target) or [text](target "title"); the text may wrap.</summary>
    [GeneratedRegex(@"!?\[[^\]]*\]\(\s*(?<target><[^>\n]*>|[^\s)]+)(?:\s+""[^""\n]*"")?\s*\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*:")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"(?<ticks>`+)[^`](?:.*?[^`])?\k<ticks>(?!`)")]
    private static partial Regex CodeSpan();
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PaxosLabs.Grader.Handout;

/// <summary>
/// The headings of a Markdown file and the anchors GitHub gives them, so that a link such as
/// <c>protocol.md#43-prepareqf-and-gap-filling</c> can be checked before students click it.
/// </summary>
public static partial class MarkdownHeadings
{
    /// <summary>The text of every ATX heading (<c>## Title</c>) outside fenced code blocks, in order.</summary>
    public static IReadOnlyList<string> Titles(string markdown)
    {
        var titles = new List<string>();
        foreach (var (line, _) in OutsideFences(markdown))
        {
            var heading = Heading().Match(line);
            if (heading.Success)
            {
                titles.Add(ClosingHashes().Replace(heading.Groups["title"].Value, "").Trim());
            }
        }

        return titles;
    }

    /// <summary>
    /// The anchors of every heading, as GitHub makes them: the first of a title gets its slug, a
    /// repeat gets the slug with <c>-1</c>, <c>-2</c>, … appended.
    /// </summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var title in Titles(markdown))
        {
            var slug = Slug(title);
            var anchor = slug;
            for (var repeat = 1; !anchors.Add(anchor); repeat++)
            {
                anchor = $"{slug}-{repeat}";
            }
        }

        return anchors;
    }

    /// <summary>
    /// GitHub's slug of a heading's text: links keep their text only, letters become lower case,
    /// each space becomes '-', and every other character except letters, digits, '-' and '_' is
    /// dropped (so "1. Stage 1 — quorum calls" becomes "1-stage-1--quorum-calls").
    /// </summary>
    public static string Slug(string title)
    {
        var text = InlineLink().Replace(title, "${text}");
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            if (c == ' ')
            {
                slug.Append('-');
            }
            else if (c is '-' or '_' || char.IsLetterOrDigit(c)
                || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                slug.Append(c);
            }
        }

        return slug.ToString();
    }

    /// <summary>
    /// Each line of <paramref name="markdown"/> that is not inside a fenced code block (``` or ~~~),
    /// with its 1-based number. Headings and links in code blocks are only text.
    /// </summary>
    public static IEnumerable<(string Line, int Number)> OutsideFences(string markdown)
    {
        string? fence = null;
        var number = 0;
        foreach (var line in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            number++;
            var opening = Fence().Match(line);
            if (fence is null && opening.Success)
            {
                fence = opening.Groups["fence"].Value;
            }
            else if (fence is not null && opening.Success && opening.Groups["fence"].Value.StartsWith(fence, StringComparison.Ordinal) && opening.Groups["info"].Value.Trim().Length == 0)
            {
                fence = null;
            }
            else if (fence is null)
            {
                yield return (line, number);
            }
        }
    }

    [GeneratedRegex(@"^ {0,3}#{1,6}[ \t]+(?<title>.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[ \t]+#+[ \t]*$|^#+[ \t]*$")]
    private static partial Regex ClosingHashes();

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^ {0,3}(?<fence>`{3,}|~{3,})(?<info>.*)$")]
    private static partial Regex Fence();
}

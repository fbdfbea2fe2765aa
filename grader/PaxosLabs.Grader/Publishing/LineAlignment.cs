namespace PaxosLabs.Grader.Publishing;

/// <summary>
/// A longest-common-subsequence alignment of two line lists: for each line of the first, the index
/// of the equal line of the second it is matched with, or -1. Among the alignments of maximal length,
/// <c>early</c> matches each line as soon as possible, <c>late</c> as late as possible (lines
/// inserted into the second list are then taken to sit before the lines that follow them).
/// </summary>
public static class LineAlignment
{
    /// <summary>Beyond this many cells (lines × lines) the files are too large to align.</summary>
    public const long MaxCells = 16_000_000;

    public static int[]? Align(IReadOnlyList<string> from, IReadOnlyList<string> to, bool early)
    {
        var (n, m) = (from.Count, to.Count);
        if ((long)(n + 1) * (m + 1) > MaxCells)
        {
            return null;
        }

        // lcs[i, j]: the length of the longest common subsequence of from[i..] and to[j..].
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = string.Equals(from[i], to[j], StringComparison.Ordinal)
                    ? lcs[i + 1, j + 1] + 1
                    : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var map = Enumerable.Repeat(-1, n).ToArray();
        var (x, y) = (0, 0);
        while (x < n && y < m)
        {
            var equal = string.Equals(from[x], to[y], StringComparison.Ordinal) && lcs[x, y] == lcs[x + 1, y + 1] + 1;
            if (equal && (early || lcs[x, y + 1] < lcs[x, y]))
            {
                map[x++] = y++;
            }
            else if (early ? lcs[x + 1, y] == lcs[x, y] : lcs[x, y + 1] != lcs[x, y])
            {
                x++;
            }
            else
            {
                y++;
            }
        }

        return map;
    }
}

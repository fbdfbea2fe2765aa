using System.Globalization;
using System.Text;

namespace PaxosLabs.Simulation.Checkers;

/// <summary>
/// The text of a verdict. A violation is explained by the deepest point the search reached: the
/// longest prefix it could linearize, the value after it, and each operation that might come next
/// with why it cannot, which is usually enough to spot the stale read or the lost write.
/// </summary>
internal static class LinearizabilityExplanation
{
    // A long history must still give a readable message; the end of the prefix is where it failed.
    private const int MaxPrefixShown = 30;
    private const int MaxCandidatesShown = 20;

    /// <param name="leftOut">How many of the key's operations were left out as irrelevant (see <see cref="LinearizabilityPruning"/>).</param>
    public static string Violation(string key, IReadOnlyList<KvOperation> ops, int leftOut, LinearizabilitySearchResult search)
    {
        var text = new StringBuilder();
        var prefix = search.LongestPrefix;
        text.Append(CultureInfo.InvariantCulture, $"Key {KvHistoryFormat.Value(key)} is not linearizable: no order of its {Count(ops.Count, "operation")} respects both real time and a register.");
        if (leftOut > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({Count(leftOut, "operation")} that never returned and that no read could have observed left out.)");
        }

        text.AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"Longest linearizable prefix ({Count(prefix.Count, "operation")}, value after it {KvHistoryFormat.Value(search.ValueAfterPrefix)}):");
        text.AppendLine();
        if (prefix.Count == 0)
        {
            text.AppendLine("  (empty: not even a first operation can be placed)");
        }

        var skipped = Math.Max(0, prefix.Count - MaxPrefixShown);
        if (skipped > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  … {Count(skipped, "earlier operation")}");
        }

        for (var i = skipped; i < prefix.Count; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {i + 1}. {ops[prefix[i]]}");
        }

        text.AppendLine("Operations that could not be placed next:");
        var candidates = NextCandidates(ops, prefix);
        foreach (var index in candidates.Take(MaxCandidatesShown))
        {
            var op = ops[index];
            var why = LinearizabilitySearch.TryApply(search.ValueAfterPrefix, op, out _)
                ? "fits here, but nothing after it can be linearized"
                : $"reads {KvHistoryFormat.Value(op.Output)} but the value is {KvHistoryFormat.Value(search.ValueAfterPrefix)}";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {op}: {why}");
        }

        if (candidates.Count > MaxCandidatesShown)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  … and {candidates.Count - MaxCandidatesShown} more");
        }

        return text.ToString().TrimEnd();
    }

    public static string OutOfBudget(string key, int operations, int checkedKeys, int keys, long used, long budget) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"Key {KvHistoryFormat.Value(key)} ({Count(operations, "operation")}) exhausted the step budget: {used} of {budget} search steps used, {checkedKeys} of {Count(keys, "key")} found linearizable before it. Inconclusive is not a pass: raise the budget or check a shorter history.");

    private static string Count(long n, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");

    /// <summary>
    /// The operations that real time allows right after the prefix: those not preceded by any
    /// returned operation still outside it (an operation precedes another when it returned before
    /// the other was invoked).
    /// </summary>
    private static List<int> NextCandidates(IReadOnlyList<KvOperation> ops, IReadOnlyList<int> prefix)
    {
        var placed = new HashSet<int>(prefix);
        var firstReturn = long.MaxValue;
        for (var i = 0; i < ops.Count; i++)
        {
            if (!placed.Contains(i))
            {
                firstReturn = Math.Min(firstReturn, ops[i].Return);
            }
        }

        return [.. Enumerable.Range(0, ops.Count).Where(i => !placed.Contains(i) && ops[i].Invoke <= firstReturn)];
    }
}

using System.Globalization;

namespace PaxosLabs.Simulation.Checkers;

/// <summary>
/// Checks that a history of key-value operations is linearizable: that each operation can be given
/// one instant between its invoke and its return such that, in the order of those instants, every
/// Get reads what a single register per key (starting at "") would hold. Operations that never
/// returned may take effect at any instant after their invoke, or not at all.
///
/// Wing &amp; Gong's search with Lowe's memoization (see <see cref="LinearizabilitySearch"/>), one key
/// at a time. The budget counts search steps, not time, so a verdict never depends on the machine;
/// running out gives <see cref="Verdict.Inconclusive"/>, which is never a pass.
/// </summary>
public static class LinearizabilityChecker
{
    public static LinearizabilityResult Check(IReadOnlyList<KvOperation> history, long stepBudget = 2_000_000)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentOutOfRangeException.ThrowIfNegative(stepBudget);
        Validate(history);

        // P-compositionality: a history is linearizable iff every key's sub-history is.
        var byKey = new Dictionary<string, List<KvOperation>>(StringComparer.Ordinal);
        foreach (var op in history)
        {
            if (!byKey.TryGetValue(op.Key, out var ops))
            {
                byKey.Add(op.Key, ops = []);
            }

            ops.Add(op);
        }

        // Smallest keys first: the budget is shared, and a violation on a small key should be found
        // even when a big key would exhaust it. Ties by key name keep the order (and steps) deterministic.
        var keys = byKey
            .Select(k => (k.Key, Ops: LinearizabilityPruning.Relevant(k.Value)))
            .OrderBy(k => k.Ops.Count).ThenBy(k => k.Key, StringComparer.Ordinal).ToList();

        long used = 0;
        var checkedKeys = 0;
        foreach (var (key, ops) in keys)
        {
            var leftOut = byKey[key].Count - ops.Count;
            var search = LinearizabilitySearch.Run(ops, stepBudget - used);
            used += search.Steps;
            switch (search.Outcome)
            {
                case LinearizabilityOutcome.NotLinearizable:
                    return new(Verdict.NotLinearizable, LinearizabilityExplanation.Violation(key, ops, leftOut, search), key, used);
                case LinearizabilityOutcome.OutOfBudget:
                    return new(Verdict.Inconclusive, LinearizabilityExplanation.OutOfBudget(key, ops.Count, checkedKeys, keys.Count, used, stepBudget), key, used);
                default:
                    checkedKeys++;
                    break;
            }
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"{history.Count} operations on {byKey.Count} keys are linearizable ({used} search steps).");
        return new(Verdict.Linearizable, text, null, used);
    }

    /// <summary>Rejects a malformed history, naming the operation's index: a bad history must not yield a verdict.</summary>
    private static void Validate(IReadOnlyList<KvOperation> history)
    {
        for (var i = 0; i < history.Count; i++)
        {
            var op = history[i];
            var where = string.Create(CultureInfo.InvariantCulture, $"history[{i}]");
            if (op is null)
            {
                throw new ArgumentException($"{where} is null.", nameof(history));
            }

            if (!Enum.IsDefined(op.Kind))
            {
                throw new ArgumentException($"{where} ({op}) has unknown kind {(int)op.Kind}; expected Get, Put or Append.", nameof(history));
            }

            if (op.Key is null || op.Argument is null)
            {
                throw new ArgumentException($"{where} has a null {(op.Key is null ? "Key" : "Argument")}; use \"\" for none.", nameof(history));
            }

            if (op.Return < op.Invoke)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{where} ({op}) returns before it is invoked (Return {op.Return} < Invoke {op.Invoke})."), nameof(history));
            }

            if (op.Kind == KvOpKind.Get && op.Output is null && op.Returned)
            {
                throw new ArgumentException($"{where} ({op}) is a Get that returned but has no Output; use \"\" for an absent key, or Return = long.MaxValue if it never returned.", nameof(history));
            }
        }
    }
}

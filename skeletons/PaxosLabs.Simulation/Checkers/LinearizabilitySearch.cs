namespace PaxosLabs.Simulation.Checkers;

/// <summary>
/// Wing &amp; Gong's depth-first search with Lowe's memoization, for the operations of one key
/// (P-compositionality: a history is linearizable iff each key's sub-history is, so keys are
/// searched separately and the state is a single string).
///
/// Walking the entry list from its head, the calls met before the first return entry are exactly the
/// operations that may be linearized next: none of them is preceded in real time by an operation
/// still unlinearized. The search tries them in order; one that fits the register (and leads to an
/// unexplored configuration) is lifted out and the walk restarts from the head. Reaching a return
/// entry means its operation can no longer be placed before it returned, so the search backtracks.
/// Gets that read the current value are placed first and without alternatives (see the loop).
/// </summary>
internal static class LinearizabilitySearch
{
    /// <param name="ops">One key's operations, those <see cref="LinearizabilityPruning"/> kept.</param>
    /// <param name="budget">The most steps to spend; one step is one entry examined or one choice undone.</param>
    public static LinearizabilitySearchResult Run(IReadOnlyList<KvOperation> ops, long budget)
    {
        var list = new LinearizabilityEntryList([.. ops.Select(o => o.Invoke)], [.. ops.Select(o => o.Return)]);
        var linearized = new LinearizabilityBitset(ops.Count);
        var cache = new LinearizabilityCache();

        // The search stack: the choices made so far, in order.
        var stack = new List<LinearizabilityFrame>();
        var longest = new LinearizabilityLongestPrefix();

        // Operations that never returned may be left out (they may never have taken effect), so the
        // search succeeds once every operation that did return is placed.
        var returnedLeft = ops.Count(o => o.Returned);
        var value = string.Empty;
        var entry = list.First;
        var readsFirst = true;
        var backtracking = false;
        long steps = 0;

        while (returnedLeft > 0)
        {
            // Checked before counting, so a search never spends more than its budget.
            if (steps >= budget)
            {
                return new(LinearizabilityOutcome.OutOfBudget, steps, longest.Operations, longest.Value);
            }

            steps++;
            if (backtracking)
            {
                // Undo the latest choice and try the next option after it; a forced read has no
                // other option, so its configuration fails as well and the undoing goes on.
                if (stack.Count == 0)
                {
                    return new(LinearizabilityOutcome.NotLinearizable, steps, longest.Operations, longest.Value);
                }

                var (call, index, before, forced) = stack[^1];
                stack.RemoveAt(stack.Count - 1);
                linearized.Clear(index);
                value = before;
                list.Unlift(call);
                if (ops[index].Returned)
                {
                    returnedLeft++;
                }

                longest.Popped(stack.Count);
                entry = list.Next(call);
                readsFirst = false;
                backtracking = forced;
            }
            else if (list.IsCall(entry))
            {
                var index = list.OperationOf(entry);
                var op = ops[index];

                // Each configuration is scanned twice: first for a Get that reads the current value,
                // then for anything. Such a Get can always go next: it changes nothing, and nothing
                // unplaced must precede it, so any linearization from here can be reordered to start
                // with it. Placing it is therefore forced, with no alternatives to try, and if it
                // leads nowhere the configuration itself fails. Without this, a value written by many
                // concurrent puts makes the search try every subset of them before the reads of "".
                var forced = op.Kind == KvOpKind.Get;
                if ((readsFirst == forced) && TryApply(value, op, out var after))
                {
                    linearized.Set(index);
                    if (cache.Add(linearized, after))
                    {
                        stack.Add(new(entry, index, value, forced));
                        value = after;
                        list.Lift(entry);
                        if (op.Returned)
                        {
                            returnedLeft--;
                        }

                        longest.Pushed(stack, value);

                        entry = list.First;
                        readsFirst = true;
                        continue;
                    }

                    linearized.Clear(index);

                    // A forced read into a configuration explored before (and so failed): this fails too.
                    backtracking = forced;
                }

                entry = list.Next(entry);
            }
            else if (readsFirst)
            {
                // No read fits here: now try every operation that may come next.
                readsFirst = false;
                entry = list.First;
            }
            else
            {
                // A return entry: its operation can no longer be placed before it returned.
                backtracking = true;
            }
        }

        return new(LinearizabilityOutcome.Linearizable, steps, longest.Operations, longest.Value);
    }

    /// <summary>The register model: whether the operation can happen at this value, and the value after it.</summary>
    public static bool TryApply(string value, KvOperation op, out string after)
    {
        switch (op.Kind)
        {
            case KvOpKind.Put:
                after = op.Argument;
                return true;
            case KvOpKind.Append:
                after = string.Concat(value, op.Argument);
                return true;
            default:
                // A Get changes nothing and fits only if it read the current value.
                after = value;
                return string.Equals(op.Output, value, StringComparison.Ordinal);
        }
    }
}

using PaxosLabs.Simulation.Checkers;
using static PaxosLabs.Simulation.Tests.LinearizabilityOps;

namespace PaxosLabs.Simulation.Tests;

public class LinearizabilityCheckerTests
{
    private static LinearizabilityResult AssertLinearizable(params KvOperation[] history)
    {
        var result = LinearizabilityChecker.Check(history);
        Assert.True(result.Verdict == Verdict.Linearizable, result.Explanation);
        Assert.Null(result.Key);
        return result;
    }

    private static LinearizabilityResult AssertViolation(string key, params KvOperation[] history)
    {
        var result = LinearizabilityChecker.Check(history);
        Assert.True(result.Verdict == Verdict.NotLinearizable, result.Explanation);
        Assert.Equal(key, result.Key);
        return result;
    }

    // ---- Linearizable histories ----

    [Fact]
    public void An_empty_history_is_linearizable()
    {
        var result = AssertLinearizable();
        Assert.StartsWith("0 operations on 0 keys are linearizable", result.Explanation, StringComparison.Ordinal);
        Assert.Equal(0, result.StepsUsed);
    }

    [Fact]
    public void A_sequential_history_is_linearizable()
    {
        var result = AssertLinearizable(
            Get(1, "x", "", 0, 1),
            Put(1, "x", "a", 2, 3),
            Get(2, "x", "a", 4, 5),
            Append(2, "x", "b", 6, 7),
            Get(1, "x", "ab", 8, 9),
            Put(3, "x", "c", 10, 11),
            Append(3, "x", "d", 12, 13),
            Get(1, "x", "cd", 14, 15));
        Assert.StartsWith("8 operations on 1 keys are linearizable", result.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    public void A_get_concurrent_with_a_put_may_see_either_value(string seen)
    {
        AssertLinearizable(
            Put(1, "x", "a", 1, 10),
            Get(2, "x", seen, 2, 5));
    }

    [Theory]
    [InlineData("old")]
    [InlineData("new")]
    public void A_get_concurrent_with_an_overwrite_may_see_either_value(string seen)
    {
        AssertLinearizable(
            Put(1, "x", "old", 0, 1),
            Put(1, "x", "new", 2, 10),
            Get(2, "x", seen, 3, 9),
            Get(2, "x", "new", 11, 12));
    }

    [Fact]
    public void A_return_and_an_invoke_at_the_same_time_overlap()
    {
        // Only Return < Invoke orders two operations, so a get invoked when the put returns may precede it.
        AssertLinearizable(
            Put(1, "x", "a", 1, 5),
            Get(2, "x", "", 5, 6));
    }

    [Theory]
    [InlineData("bc")]
    [InlineData("cb")]
    public void Overlapping_appends_may_take_effect_in_either_order(string final)
    {
        AssertLinearizable(
            Append(1, "x", "b", 1, 10),
            Append(2, "x", "c", 2, 9),
            Get(3, "x", final, 11, 12));
    }

    [Fact]
    public void Reads_during_overlapping_appends_can_see_the_intermediate_value()
    {
        AssertLinearizable(
            Put(1, "x", "a", 0, 1),
            Append(1, "x", "b", 2, 10),
            Append(2, "x", "c", 2, 10),
            Get(3, "x", "ac", 3, 4),
            Get(3, "x", "acb", 11, 12));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("")]
    public void A_put_that_never_returned_may_or_may_not_have_taken_effect(string seen)
    {
        AssertLinearizable(
            Put(1, "x", "a", 1, Never),
            Get(2, "x", seen, 5, 6),
            Get(2, "x", seen, 7, 8));
    }

    [Fact]
    public void A_put_that_never_returned_may_take_effect_long_after_its_invoke()
    {
        AssertLinearizable(
            Put(1, "x", "a", 1, Never),
            Get(2, "x", "", 5, 6),
            Put(2, "x", "b", 7, 8),
            Get(2, "x", "b", 9, 10),
            Get(3, "x", "a", 100, 101));
    }

    [Fact]
    public void An_append_that_never_returned_may_be_skipped_or_applied()
    {
        AssertLinearizable(
            Append(1, "x", "a", 1, Never),
            Append(2, "x", "b", 2, 3),
            Get(2, "x", "b", 4, 5),
            Get(2, "x", "ba", 6, 7));
        AssertLinearizable(
            Append(1, "x", "a", 1, Never),
            Append(2, "x", "b", 2, 3),
            Get(2, "x", "b", 4, 5));
    }

    [Fact]
    public void A_get_that_never_returned_constrains_nothing()
    {
        AssertLinearizable(
            Put(1, "x", "a", 1, 2),
            Get(2, "x", null, 0, Never),
            Get(3, "x", "a", 3, 4));
    }

    [Fact]
    public void Many_interleaved_keys_are_linearizable()
    {
        var history = new List<KvOperation>();
        for (var round = 0; round < 50; round++)
        {
            var t = round * 10L;
            foreach (var (key, client) in new[] { ("x", 1), ("y", 2), ("z", 3), ("w", 4) })
            {
                // Each key's writes overlap the other keys' and the previous round's reads.
                history.Add(Append(client, key, round.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",", t, t + 5));
                history.Add(Get(client + 10, key, string.Concat(Enumerable.Range(0, round + 1).Select(r => $"{r},")), t + 6, t + 12));
            }
        }

        var result = AssertLinearizable([.. history]);
        Assert.StartsWith("400 operations on 4 keys are linearizable", result.Explanation, StringComparison.Ordinal);
    }

    // ---- Violations ----

    [Fact]
    public void A_stale_read_after_a_completed_write_is_not_linearizable()
    {
        var result = AssertViolation(
            "x",
            Put(1, "x", "a", 3, 5),
            Get(2, "x", "", 7, 9));

        // The explanation shows the longest prefix and the operation that cannot come next, and why.
        Assert.Contains("\"x\"", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("Longest linearizable prefix", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("1. c1 put(x, \"a\") [3..5]", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("could not be placed next", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("c2 get(x) -> \"\" [7..9]: reads \"\" but the value is \"a\"", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_right_after_the_write_returned_must_see_it()
    {
        AssertViolation(
            "x",
            Put(1, "x", "a", 1, 5),
            Get(2, "x", "", 6, 7));
    }

    [Fact]
    public void Two_reads_that_see_two_writes_in_opposite_orders_are_not_linearizable()
    {
        // a is written, then b (concurrently with both reads): seeing b and later a is impossible.
        AssertViolation(
            "x",
            Put(1, "x", "a", 0, 1),
            Put(1, "x", "b", 2, 20),
            Get(2, "x", "b", 3, 4),
            Get(3, "x", "a", 5, 6));
    }

    [Fact]
    public void Two_clients_observing_concurrent_puts_in_different_orders_are_not_linearizable()
    {
        AssertViolation(
            "x",
            Put(1, "x", "a", 0, 10),
            Put(2, "x", "b", 0, 10),
            Get(3, "x", "a", 1, 2),
            Get(3, "x", "b", 3, 4),
            Get(4, "x", "b", 1, 2),
            Get(4, "x", "a", 3, 4));
    }

    [Fact]
    public void A_lost_append_is_not_linearizable()
    {
        AssertViolation(
            "x",
            Append(1, "x", "a", 1, 2),
            Append(2, "x", "b", 3, 4),
            Get(3, "x", "b", 5, 6));
    }

    [Fact]
    public void A_lost_concurrent_append_is_not_linearizable()
    {
        AssertViolation(
            "x",
            Append(1, "x", "a", 1, 10),
            Append(2, "x", "b", 1, 10),
            Get(3, "x", "a", 11, 12));
    }

    [Fact]
    public void A_get_of_a_value_never_written_is_not_linearizable()
    {
        var result = AssertViolation(
            "x",
            Put(1, "x", "a", 1, 2),
            Put(1, "x", "b", 3, 4),
            Get(2, "x", "zzz", 0, 10));
        Assert.Contains("reads \"zzz\"", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_put_that_never_returned_cannot_take_effect_before_its_invoke()
    {
        AssertViolation(
            "x",
            Get(2, "x", "a", 1, 2),
            Put(1, "x", "a", 10, Never));
    }

    [Fact]
    public void A_put_that_never_returned_cannot_be_undone_once_seen()
    {
        AssertViolation(
            "x",
            Put(1, "x", "a", 1, Never),
            Get(2, "x", "a", 5, 6),
            Get(2, "x", "", 7, 8));
    }

    [Fact]
    public void The_explanation_of_an_empty_prefix_says_so()
    {
        var result = AssertViolation("k", Get(1, "k", "ghost", 1, 2));
        Assert.Contains("(0 operations, value after it \"\")", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("empty", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("c1 get(k) -> \"ghost\" [1..2]: reads \"ghost\" but the value is \"\"", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void The_explanation_of_a_long_prefix_is_cut_to_its_end()
    {
        var history = new List<KvOperation>();
        for (var i = 0; i < 200; i++)
        {
            history.Add(Append(1, "x", "a", 2 * i, (2 * i) + 1));
        }

        history.Add(Get(2, "x", "", 1000, 1001));
        var result = AssertViolation("x", [.. history]);
        Assert.Contains("170 earlier operations", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("200. c1 append(x, \"a\") [398..399]", result.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("  1. ", result.Explanation, StringComparison.Ordinal);
        Assert.True(result.Explanation.Length < 4000, "a long history must still give a readable explanation");
    }

    [Fact]
    public void Writes_that_never_returned_and_were_never_read_are_left_out()
    {
        // 30 appends that never returned overlap everything after them: searched, each could be in
        // or out, in any order, anywhere, and refuting the stale read at the end is hopeless (8 of
        // them already take millions of steps). No read contains their suffixes, so they cannot
        // matter and are left out.
        var history = new List<KvOperation>();
        for (var i = 0; i < 30; i++)
        {
            history.Add(Append(i, "x", $"<lost {i}>", i, Never));
            history.Add(Put(100 + i, "x", $"v{i}", 100 + (10 * i), 105 + (10 * i)));
            history.Add(Get(200 + i, "x", $"v{i}", 106 + (10 * i), 108 + (10 * i)));
        }

        history.Add(Put(99, "x", "<lost 3>", 0, Never));
        history.Add(Get(300, "x", "v0", 1000, 1001));
        var result = LinearizabilityChecker.Check(history, stepBudget: 10_000);
        Assert.True(result.Verdict == Verdict.NotLinearizable, result.Explanation);
        Assert.Contains("31 operations that never returned and that no read could have observed left out", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("reads \"v0\" but the value is \"v29\"", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_write_that_never_returned_is_kept_when_a_read_may_have_seen_it()
    {
        // The suffix "b" shows up inside a read, so the append must be searched (and explains it).
        AssertLinearizable(
            Put(1, "x", "a", 0, 1),
            Append(2, "x", "b", 2, Never),
            Append(3, "x", "c", 3, 4),
            Get(4, "x", "abc", 5, 6));
        AssertLinearizable(
            Put(1, "x", "pre", 0, 1),
            Put(2, "x", "pre", 2, Never),
            Append(3, "x", "fix", 3, 4),
            Get(4, "x", "prefix", 5, 6),
            Get(4, "x", "pre", 7, 8));
    }

    // ---- Per-key independence ----

    private static List<KvOperation> BigLinearizableHistory(string key, int rounds)
    {
        var history = new List<KvOperation>();
        for (var i = 0; i < rounds; i++)
        {
            var t = i * 10L;
            history.Add(Put(1, key, $"v{i}", t, t + 15));
            history.Add(Get(2, key, i == 0 ? "" : $"v{i - 1}", t + 1, t + 3));
        }

        return history;
    }

    [Fact]
    public void A_big_history_with_overlapping_rounds_is_linearizable()
    {
        AssertLinearizable([.. BigLinearizableHistory("x", 500)]);
    }

    [Fact]
    public void A_violation_on_one_key_is_found_beside_a_big_linearizable_key()
    {
        var history = BigLinearizableHistory("x", 500);
        history.Insert(100, Put(3, "y", "a", 3, 5));
        history.Insert(300, Get(4, "y", "", 7, 9));
        var result = AssertViolation("y", [.. history]);
        Assert.Contains("\"y\"", result.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("put(x", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_violation_on_a_big_key_is_found_beside_small_linearizable_keys()
    {
        var history = BigLinearizableHistory("y", 300);
        history.Add(Get(9, "y", "v0", 100_000, 100_001));
        history.AddRange(BigLinearizableHistory("x", 5));
        var result = AssertViolation("y", [.. history]);
        Assert.Contains("c9 get(y) -> \"v0\" [100000..100001]: reads \"v0\" but the value is \"v299\"", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_key_name_on_different_keys_does_not_mix()
    {
        // "x" and "X" are distinct keys: the put on "X" does not explain the read of "x".
        AssertViolation(
            "x",
            Put(1, "X", "a", 1, 2),
            Get(2, "x", "a", 3, 4));
    }

    // ---- Budget ----

    /// <summary>40 appends that all overlap, with reads among them: exponentially many orders.</summary>
    private static List<KvOperation> HighlyConcurrentAppends(string key)
    {
        var history = new List<KvOperation>();
        for (var i = 0; i < 40; i++)
        {
            history.Add(Append(i, key, ((char)('A' + i)).ToString(), i, 1000 + i));
            history.Add(Get(100 + i, key, string.Concat(Enumerable.Range(0, i / 2).Select(j => (char)('A' + j))), i + 1, 999));
        }

        return history;
    }

    [Fact]
    public void An_over_budget_history_is_inconclusive_and_never_passes()
    {
        var result = LinearizabilityChecker.Check(HighlyConcurrentAppends("x"), stepBudget: 100);
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Equal("x", result.Key);
        Assert.InRange(result.StepsUsed, 1, 100);
        Assert.Contains("\"x\"", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("100 of 100 search steps", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void The_budget_is_exact_and_shared_by_all_keys()
    {
        var history = new List<KvOperation>();
        for (var i = 0; i < 50; i++)
        {
            history.Add(Put(1, "a", "v", 2 * i, (2 * i) + 1));
            history.Add(Put(1, "b", "v", 2 * i, (2 * i) + 1));
        }

        // Key "a" alone needs some number of steps: exactly that budget suffices, one less does not.
        List<KvOperation> onlyA = [.. history.Where(o => o.Key == "a")];
        var needed = LinearizabilityChecker.Check(onlyA).StepsUsed;
        Assert.Equal(Verdict.Linearizable, LinearizabilityChecker.Check(onlyA, stepBudget: needed).Verdict);
        Assert.Equal(Verdict.Inconclusive, LinearizabilityChecker.Check(onlyA, stepBudget: needed - 1).Verdict);

        // Both keys (the same shape) do not fit in one and a half times that: "b" runs out.
        var both = LinearizabilityChecker.Check(history, stepBudget: needed * 3 / 2);
        Assert.Equal(Verdict.Inconclusive, both.Verdict);
        Assert.Equal("b", both.Key);
        Assert.Equal(needed * 3 / 2, both.StepsUsed);
        Assert.Contains("1 of 2 keys found linearizable", both.Explanation, StringComparison.Ordinal);
        Assert.Equal(Verdict.Linearizable, LinearizabilityChecker.Check(history, stepBudget: 2 * needed).Verdict);
    }

    [Fact]
    public void A_zero_budget_is_inconclusive_unless_there_is_nothing_to_check()
    {
        Assert.Equal(Verdict.Inconclusive, LinearizabilityChecker.Check([Put(1, "x", "a", 1, 2)], stepBudget: 0).Verdict);
        Assert.Equal(Verdict.Linearizable, LinearizabilityChecker.Check([], stepBudget: 0).Verdict);

        // Nothing returned: every operation may be skipped, so no search is needed.
        Assert.Equal(Verdict.Linearizable, LinearizabilityChecker.Check([Put(1, "x", "a", 1, Never)], stepBudget: 0).Verdict);
    }

    [Fact]
    public void Small_keys_are_checked_first_so_a_hard_key_does_not_hide_a_violation()
    {
        var history = HighlyConcurrentAppends("x");
        history.Add(Put(1, "y", "a", 3, 5));
        history.Add(Get(2, "y", "", 7, 9));
        var result = LinearizabilityChecker.Check(history, stepBudget: 10_000);
        Assert.Equal(Verdict.NotLinearizable, result.Verdict);
        Assert.Equal("y", result.Key);
    }

    [Fact]
    public void Verdicts_and_step_counts_are_deterministic()
    {
        var history = HighlyConcurrentAppends("x");
        var first = LinearizabilityChecker.Check(history, stepBudget: 5_000);
        var second = LinearizabilityChecker.Check(history, stepBudget: 5_000);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Memoization_makes_an_exhaustive_search_over_concurrent_appends_feasible()
    {
        // 12 concurrent appends of the same suffix and a later read of a value no order can give:
        // the search must rule out all 12! = 479,001,600 orders. Configurations (set of appends done,
        // value) number only 2^12 = 4,096, and the cache visits each once.
        var history = new List<KvOperation>();
        for (var i = 0; i < 12; i++)
        {
            history.Add(Append(i, "x", "a", i, 100 + i));
        }

        history.Add(Get(99, "x", "b", 200, 201));
        var result = LinearizabilityChecker.Check(history, stepBudget: 200_000);
        Assert.True(result.Verdict == Verdict.NotLinearizable, result.Explanation);
        Assert.InRange(result.StepsUsed, 4_096, 200_000);
    }

    [Fact]
    public void Memoization_keeps_many_overlapping_reads_and_writes_cheap()
    {
        // 30 puts of one value and 30 reads, all concurrent; the reads see "" or "v".
        var history = new List<KvOperation>();
        for (var i = 0; i < 30; i++)
        {
            history.Add(Put(i, "x", "v", i, 100 + i));
            history.Add(Get(50 + i, "x", i % 3 == 0 ? "" : "v", i, 200 + i));
        }

        var result = LinearizabilityChecker.Check(history, stepBudget: 100_000);
        Assert.True(result.Verdict == Verdict.Linearizable, result.Explanation);
    }

    // ---- Input validation ----

    [Fact]
    public void A_return_before_the_invoke_is_rejected_naming_the_operation()
    {
        var error = Assert.Throws<ArgumentException>(() => LinearizabilityChecker.Check(
        [
            Put(1, "x", "a", 1, 2),
            Get(2, "x", "a", 3, 4),
            Put(3, "x", "b", 9, 5),
        ]));
        Assert.Contains("history[2]", error.Message, StringComparison.Ordinal);
        Assert.Contains("Return 5 < Invoke 9", error.Message, StringComparison.Ordinal);
        Assert.Equal("history", error.ParamName);
    }

    [Fact]
    public void An_unknown_kind_is_rejected_naming_the_operation()
    {
        var error = Assert.Throws<ArgumentException>(() => LinearizabilityChecker.Check(
        [
            Put(1, "x", "a", 1, 2),
            new KvOperation(1, (KvOpKind)7, "x", "a", null, 3, 4),
        ]));
        Assert.Contains("history[1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown kind 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_returned_get_without_output_is_rejected_naming_the_operation()
    {
        var error = Assert.Throws<ArgumentException>(() => LinearizabilityChecker.Check([Get(1, "x", null, 1, 2)]));
        Assert.Contains("history[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains("Output", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_inputs_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => LinearizabilityChecker.Check(null!));
        var nullOp = Assert.Throws<ArgumentException>(() => LinearizabilityChecker.Check([Put(1, "x", "a", 1, 2), null!]));
        Assert.Contains("history[1] is null", nullOp.Message, StringComparison.Ordinal);
        var nullKey = Assert.Throws<ArgumentException>(() => LinearizabilityChecker.Check([Put(1, null!, "a", 1, 2)]));
        Assert.Contains("history[0] has a null Key", nullKey.Message, StringComparison.Ordinal);
        var nullArgument = Assert.Throws<ArgumentException>(() => LinearizabilityChecker.Check([Put(1, "x", null!, 1, 2)]));
        Assert.Contains("history[0] has a null Argument", nullArgument.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearizabilityChecker.Check([], stepBudget: -1));
    }

    [Fact]
    public void Operations_print_compactly()
    {
        Assert.Equal("c1 put(x, \"a\") [3..5]", Put(1, "x", "a", 3, 5).ToString());
        Assert.Equal("c2 get(x) -> \"\" [7..9]", Get(2, "x", "", 7, 9).ToString());
        Assert.Equal("c3 append(x, \"q\\\"\") [1..never]", Append(3, "x", "q\"", 1, Never).ToString());
        Assert.Equal("c4 get(x) -> ? [1..never]", Get(4, "x", null, 1, Never).ToString());
    }
}

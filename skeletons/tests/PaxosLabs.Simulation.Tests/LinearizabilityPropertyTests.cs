using PaxosLabs.Simulation.Checkers;

namespace PaxosLabs.Simulation.Tests;

/// <summary>
/// Randomized checks with fixed seeds (deterministic): histories linearizable by construction must
/// pass, the same histories with one read corrupted must fail, and on small random histories the
/// checker must agree with a brute-force search over all orders.
/// </summary>
public class LinearizabilityPropertyTests
{
    private const long Never = long.MaxValue;
    private static readonly string[] Keys = ["a", "b", "c"];

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 60; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    /// <summary>
    /// Runs a real register per key sequentially: operation i takes effect at instant 10*i. Then each
    /// interval is widened at random around its instant, which keeps the instants a valid
    /// linearization, so the history is linearizable by construction. Some writes never return
    /// (after taking effect, or without ever taking effect), and some reads never return.
    /// </summary>
    private static List<KvOperation> SequentialThenWidened(Random rng, int count, int maxWidening)
    {
        var values = Keys.ToDictionary(k => k, _ => "", StringComparer.Ordinal);
        var history = new List<KvOperation>();
        for (var i = 0; i < count; i++)
        {
            var at = 10L * (i + 1);
            var key = Keys[rng.Next(Keys.Length)];
            var client = rng.Next(1, 6);
            var invoke = at - rng.Next(0, maxWidening + 1);
            var ret = at + rng.Next(0, maxWidening + 1);
            var roll = rng.Next(100);
            if (roll < 45)
            {
                // Reads are most of a real workload; a few never return.
                history.Add(rng.Next(20) == 0
                    ? new KvOperation(client, KvOpKind.Get, key, "", null, invoke, Never)
                    : new KvOperation(client, KvOpKind.Get, key, "", values[key], invoke, ret));
                continue;
            }

            // A small alphabet makes many histories ambiguous, which is what exercises the search.
            var kind = roll < 70 ? KvOpKind.Put : KvOpKind.Append;
            var argument = kind == KvOpKind.Put ? new[] { "", "x", "y", "xy" }[rng.Next(4)] : new[] { "x", "y" }[rng.Next(2)];
            var fate = rng.Next(20);
            if (fate == 0)
            {
                // Never returned and never took effect: the register is not changed.
                history.Add(new KvOperation(client, kind, key, argument, null, invoke, Never));
                continue;
            }

            values[key] = kind == KvOpKind.Put ? argument : values[key] + argument;
            history.Add(new KvOperation(client, kind, key, argument, null, invoke, fate == 1 ? Never : ret));
        }

        // The order of the list does not matter to the checker; shuffle it to make sure.
        return [.. history.OrderBy(_ => rng.Next())];
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Sequential_executions_with_widened_intervals_are_linearizable(int seed)
    {
        var rng = new Random(seed);
        var history = SequentialThenWidened(rng, count: rng.Next(1, 120), maxWidening: rng.Next(0, 40));
        var result = LinearizabilityChecker.Check(history);
        Assert.True(result.Verdict == Verdict.Linearizable, $"seed {seed}: {result.Explanation}");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_read_of_a_value_never_written_is_always_caught(int seed)
    {
        var rng = new Random(seed);
        var history = SequentialThenWidened(rng, count: rng.Next(5, 120), maxWidening: rng.Next(0, 40));
        var reads = Enumerable.Range(0, history.Count).Where(i => history[i].Kind == KvOpKind.Get && history[i].Returned).ToList();
        if (reads.Count == 0)
        {
            history.Add(new KvOperation(9, KvOpKind.Get, "a", "", "", 5, 6));
            reads.Add(history.Count - 1);
        }

        // '!' is in no written value, so no order of the writes can produce it.
        var victim = reads[rng.Next(reads.Count)];
        history[victim] = history[victim] with { Output = history[victim].Output + "!" };
        var result = LinearizabilityChecker.Check(history);
        Assert.True(result.Verdict == Verdict.NotLinearizable, $"seed {seed}: {result.Verdict}: {result.Explanation}");
        Assert.Equal(history[victim].Key, result.Key);
    }

    /// <summary>
    /// A small random history on one key, with intervals chosen independently, so it is linearizable
    /// or not by chance.
    /// </summary>
    private static List<KvOperation> SmallRandomHistory(Random rng)
    {
        var history = new List<KvOperation>();
        var count = rng.Next(1, 8);
        for (var i = 0; i < count; i++)
        {
            var invoke = (long)rng.Next(0, 12);
            var ret = rng.Next(5) == 0 ? Never : invoke + rng.Next(0, 6);
            var kind = (KvOpKind)rng.Next(3);
            // "z" is rarely read, so writes that never returned are often left out as unobservable.
            var output = kind == KvOpKind.Get && ret != Never ? new[] { "", "x", "y", "xy", "yx", "xx", "zx" }[rng.Next(7)] : null;
            var argument = kind == KvOpKind.Get ? "" : new[] { "x", "y", "z", "" }[rng.Next(4)];
            history.Add(new KvOperation(i, kind, "k", argument, output, invoke, ret));
        }

        return history;
    }

    /// <summary>
    /// The definition, tried literally: every order of every subset that keeps all returned
    /// operations, respecting real time and the register. Exponential, so only for tiny histories.
    /// </summary>
    private static bool BruteForceLinearizable(IReadOnlyList<KvOperation> ops)
    {
        var placed = new bool[ops.Count];

        bool Extend(string value)
        {
            if (Enumerable.Range(0, ops.Count).All(i => placed[i] || ops[i].Return == Never))
            {
                return true;
            }

            for (var i = 0; i < ops.Count; i++)
            {
                // i may go next if no unplaced operation returned before i was invoked.
                if (placed[i] || Enumerable.Range(0, ops.Count).Any(j => !placed[j] && ops[j].Return < ops[i].Invoke))
                {
                    continue;
                }

                var op = ops[i];
                string next;
                if (op.Kind == KvOpKind.Get)
                {
                    if (op.Return != Never && op.Output != value)
                    {
                        continue;
                    }

                    next = value;
                }
                else
                {
                    next = op.Kind == KvOpKind.Put ? op.Argument : value + op.Argument;
                }

                placed[i] = true;
                var found = Extend(next);
                placed[i] = false;
                if (found)
                {
                    return true;
                }
            }

            return false;
        }

        return Extend("");
    }

    [Fact]
    public void Small_random_histories_agree_with_brute_force()
    {
        var verdicts = new Dictionary<Verdict, int>();
        for (var seed = 0; seed < 3000; seed++)
        {
            var history = SmallRandomHistory(new Random(seed));
            var expected = BruteForceLinearizable(history) ? Verdict.Linearizable : Verdict.NotLinearizable;
            var result = LinearizabilityChecker.Check(history);
            Assert.True(expected == result.Verdict, $"seed {seed}: expected {expected}, got {result.Verdict}: {result.Explanation}\n{string.Join("\n", history)}");
            verdicts[expected] = verdicts.GetValueOrDefault(expected) + 1;
        }

        // Both verdicts must be common, or the comparison proves little.
        Assert.True(verdicts.GetValueOrDefault(Verdict.Linearizable) > 300, $"linearizable: {verdicts.GetValueOrDefault(Verdict.Linearizable)}");
        Assert.True(verdicts.GetValueOrDefault(Verdict.NotLinearizable) > 300, $"not linearizable: {verdicts.GetValueOrDefault(Verdict.NotLinearizable)}");
    }
}

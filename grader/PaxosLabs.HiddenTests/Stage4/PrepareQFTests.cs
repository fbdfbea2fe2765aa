using PaxosLabs.MultiPaxos;
using static PaxosLabs.HiddenTests.Stage4.Votes;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>PrepareQF with gap filling (task 4.2): the heart of a leader change.</summary>
public class PrepareQFTests
{
    private static (PromiseMsg? Result, bool Done) Run(int n, PrepareMsg prepare, params (uint Node, PromiseMsg Promise)[] replies) =>
        new PaxosQSpec(n).PrepareQF(prepare, replies.ToDictionary(r => r.Node, r => r.Promise));

    [Theory]
    [Graded("4.2", 2)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    public void Done_exactly_at_a_quorum_of_valid_promises(int n, int quorum)
    {
        var prepare = new PrepareMsg { FromSlot = 1, Crnd = 2 };
        var below = Enumerable.Range(0, quorum - 1).Select(i => ((uint)i, Promise(2))).ToArray();
        Assert.False(Run(n, prepare, below).Done, $"With n = {n}, {quorum - 1} promises are below a quorum ({quorum} = n / 2 + 1).");
        var at = Enumerable.Range(0, quorum).Select(i => ((uint)i, Promise(2))).ToArray();
        Assert.True(Run(n, prepare, at).Done, $"With n = {n}, {quorum} promises are a quorum.");
    }

    [Fact]
    [Graded("4.2", 2)]
    public void Promises_for_another_round_never_count()
    {
        var prepare = new PrepareMsg { FromSlot = 1, Crnd = 6 };
        var (_, done) = Run(3, prepare, (0, Promise(6)), (1, Promise(9)), (2, Promise(4, Vote(1, 3, Cmd("x", 1)))));
        Assert.False(done, "Only node 0's promise is for round 6; promises with Rnd 9 or 4 are NACKs and must not count toward the quorum.");

        var (result, ok) = Run(3, prepare, (0, Promise(6)), (1, Promise(6)), (2, Promise(4, Vote(1, 3, Cmd("x", 1)))));
        Assert.True(ok);
        Assert.True(result!.Accepted.Count == 0, $"Node 2's vote came with a NACK (Rnd 4) and must be ignored; the result reports {Show(result.Accepted)}.");
    }

    [Fact]
    [Graded("4.2", 2)]
    public void The_highest_Vrnd_wins_per_slot()
    {
        var prepare = new PrepareMsg { FromSlot = 1, Crnd = 10 };
        var (result, done) = Run(3, prepare,
            (0, Promise(10, Vote(1, 2, Cmd("old", 1)), Vote(2, 7, Cmd("b", 1)))),
            (2, Promise(10, Vote(1, 5, Cmd("new", 1)), Vote(2, 3, Cmd("stale", 1)))));
        Assert.True(done);
        Assert.True(Equals(result!.Accepted[0].Vval, Cmd("new", 1)) && Equals(result.Accepted[1].Vval, Cmd("b", 1)),
            $"Per slot the vote with the highest Vrnd wins (slot 1: round 5 'new#1', slot 2: round 7 'b#1'); got {Show(result.Accepted)}.");
        Assert.True(result.Rnd == 10, $"The result is Promise{{Rnd = Crnd = 10}}, got Rnd {result.Rnd}.");
    }

    [Fact]
    [Graded("4.2", 3)]
    public void Gaps_between_reported_slots_become_noops_in_the_new_round()
    {
        var prepare = new PrepareMsg { FromSlot = 1, Crnd = 8 };
        var (result, _) = Run(3, prepare,
            (0, Promise(8, Vote(1, 2, Cmd("a", 1)), Vote(4, 2, Cmd("d", 1)))),
            (1, Promise(8)));
        var slots = result!.Accepted.Select(v => (v.Slot, Show(v.Vval), v.Vrnd)).ToList();
        Assert.True(slots.SequenceEqual([(1ul, "a#1", 2L), (2ul, "no-op", 8L), (3ul, "no-op", 8L), (4ul, "d#1", 2L)]),
            $"Slots 2 and 3 were reported by nobody: they must be filled with no-ops in round Crnd = 8. Expected [1: a#1@2, 2: no-op@8, 3: no-op@8, 4: d#1@2], got {Show(result.Accepted)}.");
    }

    [Fact]
    [Graded("4.2", 4)]
    public void Holes_below_the_lowest_reported_slot_are_filled_from_FromSlot()
    {
        var prepare = new PrepareMsg { FromSlot = 3, Crnd = 5 };
        var (result, _) = Run(3, prepare, (0, Promise(5, Vote(6, 1, Cmd("f", 1)))), (2, Promise(5)));
        var slots = result!.Accepted.Select(v => v.Slot).ToList();
        Assert.True(slots.SequenceEqual([3ul, 4ul, 5ul, 6ul]) && result.Accepted.Take(3).All(v => v.Vval.IsNoop && v.Vrnd == 5),
            $"FromSlot is 3 and the only reported slot is 6: slots 3, 4 and 5 must become no-ops too, or the log stalls for ever below slot 6. Got {Show(result.Accepted)}.");
    }

    [Fact]
    [Graded("4.2", 2)]
    public void Slots_below_FromSlot_are_dropped_and_nothing_reported_means_empty()
    {
        var prepare = new PrepareMsg { FromSlot = 4, Crnd = 3 };
        var (result, done) = Run(3, prepare, (0, Promise(3, Vote(2, 1, Cmd("old", 1)))), (1, Promise(3)));
        Assert.True(done);
        Assert.True(result!.Accepted.Count == 0, $"Slot 2 is below FromSlot 4 (already decided for the new leader): drop it, leaving an empty result, got {Show(result.Accepted)}.");

        var (empty, _) = Run(3, prepare, (0, Promise(3)), (1, Promise(3)));
        Assert.NotNull(empty);
        Assert.True(empty.Accepted.Count == 0, "No slot was reported: the result is empty, not null and without no-ops.");
    }

    [Fact]
    [Graded("4.2", 1)]
    public void PrepareQF_does_not_modify_the_replies()
    {
        var replies = new Dictionary<uint, PromiseMsg> { [0] = Promise(2, Vote(3, 1, Cmd("a", 1))), [1] = Promise(2) };
        var before = replies.ToDictionary(r => r.Key, r => r.Value.Clone());
        new PaxosQSpec(3).PrepareQF(new PrepareMsg { FromSlot = 1, Crnd = 2 }, replies);
        Assert.Equal(before, replies);
    }
}

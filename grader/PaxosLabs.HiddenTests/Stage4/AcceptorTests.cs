using PaxosLabs.MultiPaxos;
using static PaxosLabs.HiddenTests.Stage4.Votes;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>The Multi-Paxos acceptor (task 4.1).</summary>
public class AcceptorTests
{
    [Fact]
    [Graded("4.1", 2)]
    public void Prepare_promises_only_a_strictly_higher_round_and_nacks_with_the_round_to_beat()
    {
        var acceptor = new Acceptor();
        var first = acceptor.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 5 });
        Assert.True(first.Rnd == 5, $"The first prepare (round 5) must be promised with Rnd 5, got Rnd {first.Rnd}.");

        acceptor.Accept(new AcceptMsg { Slot = 1, Rnd = 5, Val = Cmd("a", 1) });
        var same = acceptor.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 5 });
        Assert.True(same.Rnd == 5 && same.Accepted.Count == 0, $"A second prepare in round 5 is not higher (prepare needs Crnd > rnd, strictly): expect a NACK with Rnd 5 and no votes, although the acceptor holds a vote for slot 1; got Rnd {same.Rnd} with votes {Show(same.Accepted)}.");

        var lower = acceptor.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 3 });
        Assert.True(lower.Rnd == 5, $"A prepare in round 3 after a promise for round 5 must be NACKed with the round to beat (5), got Rnd {lower.Rnd}.");
        Assert.True(acceptor.Rnd == 5, $"A NACK must not change the acceptor's round; it is now {acceptor.Rnd}.");
    }

    [Fact]
    [Graded("4.1", 2)]
    public void Accept_takes_a_round_at_least_as_high_and_overwrites_an_older_vote()
    {
        var acceptor = new Acceptor();
        acceptor.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 4 });

        var learn = acceptor.Accept(new AcceptMsg { Slot = 2, Rnd = 4, Val = Cmd("a", 1) });
        Assert.True(learn.Rnd == 4 && learn.Slot == 2 && Equals(learn.Val, Cmd("a", 1)), "An accept in the promised round (4 >= 4) must be taken and answered with Learn{Slot 2, Rnd 4, the value}.");

        var higher = acceptor.Accept(new AcceptMsg { Slot = 2, Rnd = 9, Val = Cmd("b", 1) });
        Assert.True(higher.Rnd == 9 && Equals(higher.Val, Cmd("b", 1)), "An accept in a higher round must be taken.");
        var promise = acceptor.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 10 });
        Assert.True(promise.Accepted.Count == 1 && promise.Accepted[0].Vrnd == 9 && Equals(promise.Accepted[0].Vval, Cmd("b", 1)),
            $"Slot 2 was accepted in round 4 and then in round 9: the later vote must replace the older one, but the promise reports {Show(promise.Accepted)}.");
    }

    [Fact]
    [Graded("4.1", 2)]
    public void Accept_in_a_lower_round_is_nacked_without_a_value()
    {
        var acceptor = new Acceptor();
        acceptor.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 7 });
        var nack = acceptor.Accept(new AcceptMsg { Slot = 1, Rnd = 6, Val = Cmd("a", 1) });
        Assert.True(nack.Rnd == 7 && nack.Slot == 1 && (nack.Val is null || nack.Val.Equals(new Value())),
            $"An accept in round 6 after a promise for round 7 must be NACKed: Learn{{Slot 1, Rnd 7}} without a value, got Rnd {nack.Rnd} value {Show(nack.Val)}.");
        var promise = acceptor.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 8 });
        Assert.True(promise.Accepted.Count == 0, $"The NACKed accept must not be stored, but the acceptor reports {Show(promise.Accepted)}.");
    }

    [Fact]
    [Graded("4.1", 2)]
    public void A_promise_lists_only_slots_from_FromSlot_in_ascending_order()
    {
        var acceptor = new Acceptor();
        acceptor.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 1 });
        foreach (var slot in new ulong[] { 5, 2, 9, 3 })
        {
            acceptor.Accept(new AcceptMsg { Slot = slot, Rnd = 1, Val = Cmd("c", slot) });
        }

        var promise = acceptor.Prepare(new PrepareMsg { FromSlot = 3, Crnd = 2 });
        var slots = promise.Accepted.Select(v => v.Slot).ToList();
        Assert.True(slots.SequenceEqual([3ul, 5ul, 9ul]), $"With FromSlot 3 the promise must list slots 3, 5, 9 in ascending order (slot 2 is below FromSlot), got [{string.Join(", ", slots)}].");
    }
}

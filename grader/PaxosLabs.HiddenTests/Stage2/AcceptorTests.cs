using PaxosLabs.SinglePaxos;
using static PaxosLabs.HiddenTests.Stage2.Show;

namespace PaxosLabs.HiddenTests.Stage2;

/// <summary>The single-decree acceptor (tasks 2.1 and 2.2), as tables of messages and replies.</summary>
public class AcceptorTests
{
    [Fact]
    [Graded("2.1", 2)]
    public void Prepare_promises_only_a_strictly_higher_round()
    {
        var acceptor = new Acceptor();
        var first = acceptor.Prepare(new PrepareMsg { Crnd = 0 });
        Assert.True(first.Equals(NoValue(0)), $"A fresh acceptor (rnd = NoRound) must promise round 0 (0 > -1): expected {Promise(NoValue(0))}, got {Promise(first)}.");
        Assert.True(acceptor.Rnd == 0, $"After promising round 0 the acceptor's Rnd must be 0, not {acceptor.Rnd}.");

        var higher = acceptor.Prepare(new PrepareMsg { Crnd = 5 });
        Assert.True(higher.Equals(NoValue(5)), $"Round 5 > 0 must be promised: expected {Promise(NoValue(5))}, got {Promise(higher)}.");

        acceptor.Accept(new AcceptMsg { Rnd = 5, Val = "x" });
        var repeat = acceptor.Prepare(new PrepareMsg { Crnd = 5 });
        Assert.True(repeat.Equals(NoValue(5)) && acceptor.Rnd == 5, $"After promising round 5 and accepting \"x\" in it, a second prepare in round 5 is not higher than rnd 5 (prepare needs Crnd > rnd, strictly): expect the NACK {Promise(NoValue(5))} without the vote, and rnd 5; got {Promise(repeat)} and rnd {acceptor.Rnd}.");
    }

    [Fact]
    [Graded("2.1", 2)]
    public void A_nack_carries_the_round_to_beat_without_a_value_and_changes_nothing()
    {
        var acceptor = new Acceptor();
        acceptor.Prepare(new PrepareMsg { Crnd = 3 });
        acceptor.Accept(new AcceptMsg { Rnd = 3, Val = "x" });
        acceptor.Prepare(new PrepareMsg { Crnd = 8 });

        var nack = acceptor.Prepare(new PrepareMsg { Crnd = 6 });
        Assert.True(nack.Equals(NoValue(8)), $"A prepare in round 6 after a promise for round 8 must be NACKed with the round to beat and no value: expected {Promise(NoValue(8))}, got {Promise(nack)}. A NACK never carries the vote (3, \"x\").");
        Assert.True(acceptor.Rnd == 8 && acceptor.Vrnd == 3 && acceptor.Vval == "x", $"A NACK must not change the acceptor: expected rnd=8, vrnd=3, vval=\"x\", got {State(acceptor)}.");
    }

    [Fact]
    [Graded("2.1", 2)]
    public void A_promise_after_an_accept_reports_the_vote()
    {
        var acceptor = new Acceptor();
        acceptor.Accept(new AcceptMsg { Rnd = 2, Val = "first" });
        var promise = acceptor.Prepare(new PrepareMsg { Crnd = 7 });
        Assert.True(promise.Equals(Vote(7, 2, "first")), $"The acceptor voted for \"first\" in round 2; a promise for round 7 must report that vote: expected {Promise(Vote(7, 2, "first"))}, got {Promise(promise)}.");

        acceptor.Accept(new AcceptMsg { Rnd = 7, Val = "second" });
        var next = acceptor.Prepare(new PrepareMsg { Crnd = 10 });
        Assert.True(next.Equals(Vote(10, 7, "second")), $"After voting for \"second\" in round 7, a promise for round 10 must report the latest vote: expected {Promise(Vote(10, 7, "second"))}, got {Promise(next)}.");
    }

    [Fact]
    [Graded("2.2", 2)]
    public void Accept_takes_a_round_at_least_as_high_as_the_promised_one()
    {
        var acceptor = new Acceptor();
        acceptor.Prepare(new PrepareMsg { Crnd = 4 });

        var equal = acceptor.Accept(new AcceptMsg { Rnd = 4, Val = "a" });
        Assert.True(equal.Equals(Learned(4, "a")), $"An accept in the promised round (4 >= 4) must be taken: expected {Learn(Learned(4, "a"))}, got {Learn(equal)}.");
        Assert.True(acceptor.Rnd == 4 && acceptor.Vrnd == 4 && acceptor.Vval == "a", $"After accepting \"a\" in round 4 the acceptor must hold rnd=4, vrnd=4, vval=\"a\", not {State(acceptor)}.");

        var higher = acceptor.Accept(new AcceptMsg { Rnd = 9, Val = "b" });
        Assert.True(higher.Equals(Learned(9, "b")), $"An accept in round 9 > 4 must be taken without a prepare: expected {Learn(Learned(9, "b"))}, got {Learn(higher)}.");
        Assert.True(acceptor.Rnd == 9, $"Accepting round 9 raises the acceptor's rnd to 9 (rnd = vrnd = Rnd); it is {acceptor.Rnd}.");
    }

    [Fact]
    [Graded("2.2", 2)]
    public void Accept_in_a_lower_round_is_nacked_with_the_round_to_beat_and_changes_nothing()
    {
        var acceptor = new Acceptor();
        acceptor.Accept(new AcceptMsg { Rnd = 5, Val = "kept" });
        acceptor.Prepare(new PrepareMsg { Crnd = 8 });

        var nack = acceptor.Accept(new AcceptMsg { Rnd = 6, Val = "late" });
        Assert.True(nack.Equals(Learned(8, "")), $"An accept in round 6 after a promise for round 8 must be NACKed: expected {Learn(Learned(8, ""))}, got {Learn(nack)}.");
        Assert.True(acceptor.Rnd == 8 && acceptor.Vrnd == 5 && acceptor.Vval == "kept", $"A NACKed accept must not be stored: expected rnd=8, vrnd=5, vval=\"kept\", got {State(acceptor)}.");
    }

    [Fact]
    [Graded("2.2", 2)]
    public void A_later_rounds_accept_overwrites_the_vote()
    {
        var acceptor = new Acceptor();
        acceptor.Accept(new AcceptMsg { Rnd = 1, Val = "old" });
        acceptor.Accept(new AcceptMsg { Rnd = 6, Val = "new" });
        Assert.True(acceptor.Vrnd == 6 && acceptor.Vval == "new", $"\"old\" was accepted in round 1, then \"new\" in round 6: the vote must now be vrnd=6, vval=\"new\", got {State(acceptor)}.");

        var stale = acceptor.Accept(new AcceptMsg { Rnd = 1, Val = "old" });
        Assert.True(stale.Equals(Learned(6, "")) && acceptor.Vval == "new", $"A repeated accept of round 1 after round 6 must be NACKed ({Learn(Learned(6, ""))}) and leave vval=\"new\"; got {Learn(stale)} and {State(acceptor)}.");
    }
}

using PaxosLabs.SinglePaxos;

namespace PaxosLabs.Stage2.Tests;

/// <summary>Tasks 2.1 and 2.2: the acceptor's rules, one message at a time.</summary>
[Trait("Stage", "2")]
public class AcceptorTests
{
    [Fact]
    [Trait("Task", "2.1")]
    public void Prepare_promises_a_higher_round_and_nacks_a_repeat()
    {
        var acceptor = new Acceptor();

        var promise = acceptor.Prepare(new PrepareMsg { Crnd = 2 });
        Assert.Equal(new PromiseMsg { Rnd = 2, Vrnd = Rounds.NoRound, Vval = "" }, promise);

        acceptor.Accept(new AcceptMsg { Rnd = 2, Val = "a" });
        var repeat = acceptor.Prepare(new PrepareMsg { Crnd = 2 });
        Assert.Equal(new PromiseMsg { Rnd = 2, Vrnd = Rounds.NoRound, Vval = "" }, repeat); // a NACK (2 is not > 2): no vote in it
        Assert.Equal(2, acceptor.Rnd);
    }

    [Fact]
    [Trait("Task", "2.1")]
    public void A_promise_reports_the_last_vote()
    {
        var acceptor = new Acceptor();
        acceptor.Accept(new AcceptMsg { Rnd = 1, Val = "x" });

        var promise = acceptor.Prepare(new PrepareMsg { Crnd = 4 });
        Assert.Equal(new PromiseMsg { Rnd = 4, Vrnd = 1, Vval = "x" }, promise);
    }

    [Fact]
    [Trait("Task", "2.2")]
    public void Accept_takes_the_promised_round_and_nacks_a_lower_one()
    {
        var acceptor = new Acceptor();
        acceptor.Prepare(new PrepareMsg { Crnd = 3 });

        Assert.Equal(new LearnMsg { Rnd = 3, Val = "a" }, acceptor.Accept(new AcceptMsg { Rnd = 3, Val = "a" }));
        Assert.Equal(new LearnMsg { Rnd = 3, Val = "" }, acceptor.Accept(new AcceptMsg { Rnd = 2, Val = "b" }));
        Assert.Equal("a", acceptor.Vval);
    }

    [Fact]
    [Trait("Task", "2.2")]
    public void A_later_round_overwrites_the_vote()
    {
        var acceptor = new Acceptor();
        acceptor.Accept(new AcceptMsg { Rnd = 1, Val = "a" });
        acceptor.Accept(new AcceptMsg { Rnd = 5, Val = "b" });

        Assert.Equal((5L, 5L, "b"), (acceptor.Rnd, acceptor.Vrnd, acceptor.Vval));
    }
}

using PaxosLabs.SinglePaxos;

namespace PaxosLabs.Stage2.Tests;

/// <summary>Tasks 2.3 and 2.4: the quorum functions, as tables.</summary>
[Trait("Stage", "2")]
public class PaxosQSpecTests
{
    [Theory]
    [Trait("Task", "2.3")]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    public void The_quorum_is_a_majority(int n, int quorum) => Assert.Equal(quorum, new PaxosQSpec(n).QuorumSize);

    [Fact]
    [Trait("Task", "2.3")]
    public void PrepareQF_reports_the_vote_of_the_highest_round()
    {
        var replies = new Dictionary<uint, PromiseMsg>
        {
            [0] = new() { Rnd = 6, Vrnd = 2, Vval = "old" },
            [1] = new() { Rnd = 6, Vrnd = 4, Vval = "new" },
        };

        var (result, done) = new PaxosQSpec(3).PrepareQF(new PrepareMsg { Crnd = 6 }, replies);
        Assert.True(done);
        Assert.Equal(new PromiseMsg { Rnd = 6, Vrnd = 4, Vval = "new" }, result);
    }

    [Fact]
    [Trait("Task", "2.3")]
    public void PrepareQF_leaves_the_replies_as_they_were()
    {
        var replies = new Dictionary<uint, PromiseMsg>
        {
            [0] = new() { Rnd = 6, Vrnd = 2, Vval = "old" },
            [1] = new() { Rnd = 6, Vrnd = 4, Vval = "new" },
        };
        var before = replies.ToDictionary(r => r.Key, r => r.Value.Clone());

        new PaxosQSpec(3).PrepareQF(new PrepareMsg { Crnd = 6 }, replies);
        Assert.True(replies.All(r => r.Value.Equals(before[r.Key])), "PrepareQF changed a reply: build a new PromiseMsg for the result (the framework may evaluate the same replies again).");
    }

    [Fact]
    [Trait("Task", "2.3")]
    public void PrepareQF_does_not_count_a_nack()
    {
        var replies = new Dictionary<uint, PromiseMsg>
        {
            [0] = new() { Rnd = 6, Vrnd = Rounds.NoRound, Vval = "" },
            [2] = new() { Rnd = 9, Vrnd = Rounds.NoRound, Vval = "" },
        };

        Assert.False(new PaxosQSpec(3).PrepareQF(new PrepareMsg { Crnd = 6 }, replies).Done);
    }

    [Fact]
    [Trait("Task", "2.4")]
    public void AcceptQF_is_done_at_a_quorum_of_matching_learns()
    {
        var accept = new AcceptMsg { Rnd = 6, Val = "v" };
        var replies = new Dictionary<uint, LearnMsg> { [1] = new() { Rnd = 6, Val = "v" } };
        Assert.False(new PaxosQSpec(3).AcceptQF(accept, replies).Done);

        replies[2] = new LearnMsg { Rnd = 6, Val = "v" };
        var (result, done) = new PaxosQSpec(3).AcceptQF(accept, replies);
        Assert.True(done);
        Assert.Equal(new LearnMsg { Rnd = 6, Val = "v" }, result);
    }

    [Fact]
    [Trait("Task", "2.4")]
    public void AcceptQF_does_not_count_a_nack()
    {
        var replies = new Dictionary<uint, LearnMsg>
        {
            [0] = new() { Rnd = 6, Val = "v" },
            [1] = new() { Rnd = 8, Val = "" },
        };

        Assert.False(new PaxosQSpec(3).AcceptQF(new AcceptMsg { Rnd = 6, Val = "v" }, replies).Done);
    }
}

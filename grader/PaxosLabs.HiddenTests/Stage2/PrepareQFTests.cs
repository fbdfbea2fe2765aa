using PaxosLabs.SinglePaxos;
using static PaxosLabs.HiddenTests.Stage2.Show;

namespace PaxosLabs.HiddenTests.Stage2;

/// <summary>The quorum size and PrepareQF (task 2.3), as tables.</summary>
public class PrepareQFTests
{
    private static readonly PrepareMsg Round6 = new() { Crnd = 6 };

    private static (PromiseMsg? Result, bool Done) Evaluate(int n, PrepareMsg request, Dictionary<uint, PromiseMsg> replies)
    {
        var before = replies.ToDictionary(r => r.Key, r => r.Value.Clone());
        var result = new PaxosQSpec(n).PrepareQF(request, replies);
        Assert.True(replies.Count == before.Count && replies.All(r => before.TryGetValue(r.Key, out var b) && b.Equals(r.Value)), "PrepareQF must not modify the replies it is given.");
        return result;
    }

    [Theory]
    [Graded("2.3", 2)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    public void The_quorum_size_is_a_majority(int n, int quorum)
    {
        var actual = new PaxosQSpec(n).QuorumSize;
        Assert.True(actual == quorum, $"With n = {n} acceptors the quorum must be n / 2 + 1 = {quorum}, got {actual}." + (n == 4 ? " (n = 4 needs 3: two quorums of 2 out of 4 need not share an acceptor.)" : ""));
    }

    [Fact]
    [Graded("2.3", 2)]
    public void Invalid_promises_never_count_and_never_supply_the_value()
    {
        var replies = new Dictionary<uint, PromiseMsg>
        {
            [0] = Vote(6, 2, "a"),
            [1] = NoValue(9), // a NACK: round 9 is promised elsewhere
            [2] = Vote(5, 4, "stale"), // a promise for another round
        };
        var (_, done) = Evaluate(3, Round6, replies);
        Assert.False(done, "Only node 0 promised round 6 (node 1 NACKed with round 9, node 2 answered round 5): 1 valid promise is below the quorum of 2, so PrepareQF must not be done.");

        replies[3] = NoValue(6);
        replies[4] = Vote(9, 8, "nack-with-a-vote");
        var (result, fiveDone) = Evaluate(5, Round6, replies);
        Assert.False(fiveDone, "With n = 5 only nodes 0 and 3 promised round 6; 2 valid promises are below the quorum of 3.");

        replies[1] = NoValue(6);
        (result, fiveDone) = Evaluate(5, Round6, replies);
        Assert.True(fiveDone, "Nodes 0, 1 and 3 promised round 6: 3 valid promises of 5 are a quorum.");
        Assert.True(Vote(6, 2, "a").Equals(result), $"Among the valid promises only node 0 reports a vote, (2, \"a\"); the replies for rounds 5 and 9 must not supply a value. Expected {Promise(Vote(6, 2, "a"))}, got {Promise(result)}.");
    }

    [Fact]
    [Graded("2.3", 2)]
    public void The_vote_of_the_highest_Vrnd_wins_whatever_the_arrival_order()
    {
        var votes = new (uint Node, PromiseMsg Promise)[]
        {
            (0, Vote(6, 1, "one")),
            (1, Vote(6, 4, "four")),
            (2, NoValue(6)),
            (3, Vote(6, 3, "three")),
        };
        foreach (var order in new[] { new[] { 0, 1, 2, 3 }, new[] { 3, 2, 1, 0 }, new[] { 2, 0, 3, 1 } })
        {
            var replies = order.Select(i => votes[i]).ToDictionary(v => v.Node, v => v.Promise);
            var (result, done) = Evaluate(5, Round6, replies);
            Assert.True(done && Vote(6, 4, "four").Equals(result),
                $"Four valid promises of 5 (votes from rounds 1, 4, none, 3), arriving in node order [{string.Join(", ", order.Select(i => votes[i].Node))}]: the vote of the highest Vrnd, (4, \"four\"), must be reported as {Promise(Vote(6, 4, "four"))}; got done={done}, {Promise(result)}.");
        }
    }

    [Fact]
    [Graded("2.3", 1)]
    public void No_vote_reported_gives_a_promise_without_value()
    {
        var replies = new Dictionary<uint, PromiseMsg> { [1] = NoValue(6), [2] = NoValue(6) };
        var (result, done) = Evaluate(3, Round6, replies);
        Assert.True(done && NoValue(6).Equals(result), $"Two promises for round 6 without votes are a quorum of 3 with no value: expected {Promise(NoValue(6))} (Vrnd = NoRound, Vval = \"\"), got done={done}, {Promise(result)}.");
    }

    [Fact]
    [Graded("2.3", 2)]
    public void Not_done_below_a_quorum_of_valid_promises()
    {
        var two = new Dictionary<uint, PromiseMsg> { [0] = NoValue(6), [3] = Vote(6, 2, "x") };
        Assert.False(Evaluate(4, Round6, two).Done, "With n = 4, two promises are not a quorum (the quorum is 3): PrepareQF must not be done.");
        Assert.False(Evaluate(5, Round6, two).Done, "With n = 5, two promises are not a quorum (the quorum is 3): PrepareQF must not be done.");
        Assert.False(Evaluate(3, Round6, []).Done, "With no replies at all PrepareQF must not be done.");

        two[1] = NoValue(6);
        var (result, done) = Evaluate(4, Round6, two);
        Assert.True(done && Vote(6, 2, "x").Equals(result), $"With n = 4, three promises for round 6 are a quorum, reporting node 3's vote (2, \"x\"): expected {Promise(Vote(6, 2, "x"))}, got done={done}, {Promise(result)}.");
    }
}

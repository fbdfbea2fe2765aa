using PaxosLabs.SinglePaxos;
using static PaxosLabs.HiddenTests.Stage2.Show;

namespace PaxosLabs.HiddenTests.Stage2;

/// <summary>AcceptQF (task 2.4), as tables.</summary>
public class AcceptQFTests
{
    private static readonly AcceptMsg AcceptV = new() { Rnd = 6, Val = "v" };

    private static (LearnMsg? Result, bool Done) Evaluate(int n, AcceptMsg request, Dictionary<uint, LearnMsg> replies)
    {
        var before = replies.ToDictionary(r => r.Key, r => r.Value.Clone());
        var result = new PaxosQSpec(n).AcceptQF(request, replies);
        Assert.True(replies.Count == before.Count && replies.All(r => before.TryGetValue(r.Key, out var b) && b.Equals(r.Value)), "AcceptQF must not modify the replies it is given.");
        return result;
    }

    [Fact]
    [Graded("2.4", 2)]
    public void Learns_that_differ_from_the_accept_never_count()
    {
        var replies = new Dictionary<uint, LearnMsg>
        {
            [0] = Learned(6, "v"),
            [1] = Learned(9, ""), // a NACK: round 9 is promised there
            [2] = Learned(6, "w"), // another value
            [3] = Learned(5, "v"), // another round
        };
        Assert.False(Evaluate(5, AcceptV, replies).Done, "Only node 0's learn matches Accept{Rnd=6, Val=\"v\"} (node 1 NACKed with round 9, node 2 learned \"w\", node 3 round 5): 1 valid learn is below the quorum of 3.");

        replies[4] = Learned(6, "v");
        Assert.False(Evaluate(5, AcceptV, replies).Done, "Nodes 0 and 4 match the accept; 2 valid learns are below the quorum of 3 of 5, whatever the invalid ones say.");
    }

    [Fact]
    [Graded("2.4", 2)]
    public void Done_at_a_quorum_of_matching_learns_with_that_learn()
    {
        var replies = new Dictionary<uint, LearnMsg>
        {
            [4] = Learned(6, "v"),
            [1] = Learned(7, ""),
            [2] = Learned(6, "v"),
            [0] = Learned(6, "v"),
        };
        var (result, done) = Evaluate(5, AcceptV, replies);
        Assert.True(done && Learned(6, "v").Equals(result), $"Nodes 0, 2 and 4 learned (6, \"v\"): a quorum of 3 of 5, done with {Learn(Learned(6, "v"))}; got done={done}, {Learn(result)}.");

        var (four, fourDone) = Evaluate(4, AcceptV, replies);
        Assert.True(fourDone && Learned(6, "v").Equals(four), $"With n = 4 the quorum is 3, and nodes 0, 2 and 4 match: expected done with {Learn(Learned(6, "v"))}, got done={fourDone}, {Learn(four)}.");
    }

    [Fact]
    [Graded("2.4", 1)]
    public void Not_done_below_a_quorum()
    {
        var two = new Dictionary<uint, LearnMsg> { [0] = Learned(6, "v"), [1] = Learned(6, "v") };
        Assert.False(Evaluate(4, AcceptV, two).Done, "With n = 4, two matching learns are not a quorum (the quorum is 3).");
        Assert.False(Evaluate(3, AcceptV, []).Done, "With no replies AcceptQF must not be done.");
        var (result, done) = Evaluate(3, AcceptV, two);
        Assert.True(done && Learned(6, "v").Equals(result), $"With n = 3, two matching learns are a quorum: expected done with {Learn(Learned(6, "v"))}, got done={done}, {Learn(result)}.");
    }
}

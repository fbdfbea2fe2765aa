using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Gorums;
using PaxosLabs.SinglePaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.HiddenTests.Stage2;

/// <summary>A whole run on five Paxos nodes where counting a NACK as a promise chooses a second value (task 2.3).</summary>
public sealed class NackQuorumTests
{
    [Fact]
    [Graded("2.3", 3)]
    public async Task With_five_nodes_a_NACK_never_completes_phase_1_and_the_chosen_value_stays_chosen()
    {
        await using var nodes = new PaxosNodes(5, new FakeTimeProvider(), seed: 3);
        await using var oldProposer = new Manager(nodes.Network, new ManagerOptions { ClientName = "old-proposer-2" });
        PaxosConfiguration To(params uint[] ids) =>
            new(oldProposer.NewConfiguration(ids.ToDictionary(id => id, id => PaxosNodes.Address((int)id))), new EveryReply(ids.Length));

        // Proposer 2 got "x" chosen in round 2 (accepted by nodes 0, 1 and 2, a majority of 5) and
        // committed it to node 0 only; then it prepared round 7 at node 0 alone, and nodes 1 and 2 crashed.
        await Eventually.WithinAsync(To(0, 1, 2).PrepareAsync(new PrepareMsg { Crnd = 2 }), "nodes 0, 1 and 2 to promise round 2");
        await Eventually.WithinAsync(To(0, 1, 2).AcceptAsync(new AcceptMsg { Rnd = 2, Val = "x" }), "nodes 0, 1 and 2 to accept \"x\" in round 2");
        await To(0).CommitAsync(new LearnMsg { Rnd = 2, Val = "x" });
        await Eventually.WaitAsync(() => nodes[0].Decided == "x", $"node 0 to decide \"x\" after its Commit (now {nodes.Decisions})");
        await Eventually.WithinAsync(To(0).PrepareAsync(new PrepareMsg { Crnd = 7 }), "node 0 to promise round 7");
        nodes.Crash(1);
        nodes.Crash(2);

        // Node 4 starts in its round 4: node 0 NACKs it (round 7), nodes 3 and 4 promise.
        var run = nodes[4].ProposeAsync("z");
        await FakeClock.WaitAsync(run, nodes.Time, "node 4 proposing \"z\" with nodes 1 and 2 crashed");
        var chosen = await run;

        Assert.True(chosen == "x",
            $"\"x\" was chosen in round 2 (nodes 0, 1 and 2 accepted it) and node 0 decided it, but node 4 returned \"{chosen}\" after rounds [{string.Join(", ", nodes[4].Proposer.RoundsTried)}]: two values are chosen. "
            + "In round 4 only nodes 3 and 4 promised; node 0 answered with a NACK naming round 7. A NACK is not a promise, whatever round it names, and never counts toward the quorum: with n = 5, PrepareQF needs 3 promises with Rnd = 4, so round 4 must fail and the proposer must retry above round 7, where node 0's promise reports \"x\". "
            + $"Nodes: {nodes.Decisions}.");
        await Eventually.WaitAsync(() => new uint[] { 0, 3, 4 }.All(id => nodes[id].Decided == "x"), $"nodes 0, 3 and 4 to decide \"x\" (now {nodes.Decisions})");
    }

    /// <summary>The old proposer's quorum functions: done once every node it asked has answered.</summary>
    private sealed class EveryReply(int count) : IPaxosQSpec
    {
        public (PromiseMsg? Result, bool Done) PrepareQF(PrepareMsg request, IReadOnlyDictionary<uint, PromiseMsg> replies) =>
            replies.Count == count ? (replies.Values.First(), true) : (null, false);

        public (LearnMsg? Result, bool Done) AcceptQF(AcceptMsg request, IReadOnlyDictionary<uint, LearnMsg> replies) =>
            replies.Count == count ? (replies.Values.First(), true) : (null, false);
    }
}

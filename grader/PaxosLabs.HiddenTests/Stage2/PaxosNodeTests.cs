using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Testing;

namespace PaxosLabs.HiddenTests.Stage2;

/// <summary>Whole runs (every task together, graded as 2.5): Paxos nodes on an in-memory network with a fake clock.</summary>
public class PaxosNodeTests
{
    [Theory]
    [Graded("2.5", 3)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Two_competing_proposers_return_the_same_value_and_every_node_decides_it(int seed)
    {
        await using var nodes = new PaxosNodes(3, new FakeTimeProvider(), seed);
        var apple = nodes[0].ProposeAsync("apple");
        var banana = nodes[1].ProposeAsync("banana");
        var both = Task.WhenAll(apple, banana);

        await FakeClock.WaitAsync(both, nodes.Time, "nodes 0 and 1 proposing \"apple\" and \"banana\" at the same time");
        var results = await both;

        Assert.True(results[0] == results[1], $"Agreement: node 0 returned \"{results[0]}\" after rounds [{string.Join(", ", nodes[0].Proposer.RoundsTried)}], node 1 returned \"{results[1]}\" after rounds [{string.Join(", ", nodes[1].Proposer.RoundsTried)}]; only one value may be chosen.");
        Assert.True(results[0] is "apple" or "banana", $"Validity: \"{results[0]}\" was never proposed.");
        await Eventually.WaitAsync(() => nodes.All.All(n => n.Decided == results[0]), $"every node to decide \"{results[0]}\" after the Commit (now {nodes.Decisions})");
    }

    [Theory]
    [Graded("2.5", 2)]
    [InlineData(3, new uint[] { 2 })]
    [InlineData(5, new uint[] { 0, 4 })]
    public async Task A_crashed_minority_does_not_stop_a_decision(int n, uint[] crashed)
    {
        await using var nodes = new PaxosNodes(n, new FakeTimeProvider(), seed: 7);
        foreach (var id in crashed)
        {
            nodes.Crash(id);
        }

        var proposer = nodes[1];
        var run = proposer.ProposeAsync("survivor");
        await FakeClock.WaitAsync(run, nodes.Time, $"node 1 proposing with nodes {string.Join(", ", crashed)} of {n} crashed");
        var chosen = await run;

        Assert.True(chosen == "survivor", $"With nodes {string.Join(", ", crashed)} of {n} crashed, the other {n - crashed.Length} are a quorum; node 1's \"survivor\" must be chosen, not \"{chosen}\".");
        var live = nodes.All.Where(x => !crashed.Contains(x.Id)).ToList();
        await Eventually.WaitAsync(() => live.All(x => x.Decided == "survivor"), $"every live node to decide \"survivor\" (now {nodes.Decisions})");
    }
}

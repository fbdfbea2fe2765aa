using Microsoft.Extensions.Time.Testing;
using PaxosLabs.SinglePaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage2.Tests;

/// <summary>Task 2.5: the proposer's choices, and whole runs on three in-memory Paxos nodes.</summary>
[Trait("Stage", "2")]
public sealed class ProposerTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly PaxosCluster _cluster;

    public ProposerTests()
    {
        _cluster = new PaxosCluster(3, _time);
    }

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    [Trait("Task", "2.5")]
    public void A_reported_vote_replaces_the_own_value()
    {
        Assert.Equal("theirs", Proposer.ChooseValue(new PromiseMsg { Rnd = 5, Vrnd = 2, Vval = "theirs" }, "mine"));
        Assert.Equal("mine", Proposer.ChooseValue(new PromiseMsg { Rnd = 5, Vrnd = Rounds.NoRound, Vval = "" }, "mine"));
    }

    [Fact]
    [Trait("Task", "2.5")]
    public void A_vote_in_round_0_or_for_the_empty_value_is_a_vote()
    {
        // "No vote" is Vrnd == NoRound, nothing else: node 0's first round is 0, and "" is a value like any other.
        Assert.True(Proposer.ChooseValue(new PromiseMsg { Rnd = 5, Vrnd = 0, Vval = "zero" }, "mine") == "zero", "A vote in round 0 is a vote (test for Vrnd != NoRound, not Vrnd > 0).");
        Assert.True(Proposer.ChooseValue(new PromiseMsg { Rnd = 5, Vrnd = 3, Vval = "" }, "mine") == "", "A vote for the empty value in round 3 is a vote (test the round, not Vval != \"\").");
    }

    [Fact]
    [Trait("Task", "2.5")]
    public void The_next_round_is_the_own_round_above_the_highest_seen()
    {
        Assert.Equal(5, Proposer.NextRound(2, Rounds.NoRound, 3)); // 2 → 5
        Assert.Equal(11, Proposer.NextRound(2, 9, 3)); // 2, 5, 8 → 11 > 9
        Assert.Equal(8, Proposer.NextRound(5, Rounds.NoRound, 3)); // never reuse a round: 5 → 8, even when nothing higher was seen
    }

    [Fact]
    [Trait("Task", "2.5")]
    public async Task One_proposer_gets_its_value_decided_everywhere()
    {
        var chosen = await _cluster.RunAsync(_cluster[0].ProposeAsync("hello"), "node 0 proposing \"hello\"");

        Assert.Equal("hello", chosen);
        await _cluster.WaitForDecisionsAsync("hello");
    }

    [Fact]
    [Trait("Task", "2.5")]
    public async Task Two_competing_proposers_return_the_same_value()
    {
        var first = _cluster[0].ProposeAsync("apple");
        var second = _cluster[1].ProposeAsync("banana");
        var results = await _cluster.RunAsync(Task.WhenAll(first, second), "nodes 0 and 1 proposing");

        Assert.Equal(results[0], results[1]);
        Assert.Contains(results[0], new[] { "apple", "banana" });
        await _cluster.WaitForDecisionsAsync(results[0]);
    }
}

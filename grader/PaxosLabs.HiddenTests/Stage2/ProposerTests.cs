using Microsoft.Extensions.Time.Testing;
using PaxosLabs.SinglePaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.HiddenTests.Stage2;

/// <summary>
/// The proposer (task 2.5) against acceptors and quorum functions written by the test, on three
/// in-memory nodes with a fake clock: it adopts a reported value and outbids NACKed rounds.
/// </summary>
public sealed class ProposerTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryCluster<ReferenceAcceptor> _cluster;

    public ProposerTests()
    {
        _cluster = new InMemoryCluster<ReferenceAcceptor>(3, _ => new ReferenceAcceptor());
    }

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    private Proposer NewProposer(uint id) => new(id, _cluster.Configuration, new ReferenceQSpec(3), _time, new Random(5), new ProposerOptions
    {
        CallTimeout = null, // in memory every request is answered or fails at once
        MinBackoff = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(20),
    });

    private string States => string.Join("; ", Enumerable.Range(0, 3).Select(i =>
    {
        var (rnd, vrnd, vval) = _cluster[(uint)i].State;
        return $"acceptor {i}: rnd={rnd}, vrnd={vrnd}, vval=\"{vval}\"";
    }));

    private async Task<string> RunAsync(Proposer proposer, string value, int maxRounds)
    {
        var run = proposer.ProposeAsync(value);
        await FakeClock.WaitAsync(run, _time, $"proposer {proposer.Id} proposing \"{value}\"", () => proposer.RoundsTried.Count > maxRounds);
        Assert.True(run.IsCompleted, $"Proposer {proposer.Id} should have finished within {maxRounds} round(s), but it tried rounds [{string.Join(", ", proposer.RoundsTried)}] ({States}).");
        return await run;
    }

    [Fact]
    [Graded("2.5", 3)]
    public async Task A_value_accepted_by_a_majority_is_adopted_instead_of_the_own_value()
    {
        // Proposer 1 got "first" accepted in round 1 by acceptors 0 and 1, then crashed before Commit.
        _cluster[0].With(1, 1, "first");
        _cluster[1].With(1, 1, "first");

        var chosen = await RunAsync(NewProposer(2), "second", maxRounds: 1);

        Assert.True(chosen == "first", $"Acceptors 0 and 1 (a majority of 3) accepted \"first\" in round 1, so \"first\" may be chosen; every quorum of promises for round 2 reports it, and proposer 2 must propose it instead of its own \"second\". It returned \"{chosen}\" ({States}).");
        foreach (var id in new uint[] { 0, 1, 2 })
        {
            var accepts = _cluster[id].Seen.Where(s => s.StartsWith("Accept", StringComparison.Ordinal)).ToList();
            Assert.True(accepts.All(a => a == "Accept 2 \"first\""), $"Acceptor {id} must only be asked to accept \"first\" in round 2, but was sent [{string.Join(", ", accepts)}].");
        }

        await Eventually.WaitAsync(() => Enumerable.Range(0, 3).All(i => _cluster[(uint)i].Committed is not null), "Commit to reach all 3 acceptors");
        Assert.All(Enumerable.Range(0, 3), i => Assert.True(_cluster[(uint)i].Committed!.Val == "first", $"Acceptor {i} received Commit \"{_cluster[(uint)i].Committed!.Val}\"; the chosen value is \"first\"."));
    }

    [Fact]
    [Graded("2.5", 3)]
    public async Task A_prepare_nacked_with_a_high_round_is_retried_in_the_smallest_own_round_above_it()
    {
        foreach (var id in new uint[] { 0, 1, 2 })
        {
            _cluster[id].With(100);
        }

        var proposer = NewProposer(1);
        var chosen = await RunAsync(proposer, "mine", maxRounds: 2);

        var rounds = proposer.RoundsTried;
        Assert.True(rounds.SequenceEqual([1L, 103L]), $"Every acceptor promised round 100, so proposer 1 (n = 3) is NACKed in round 1 with round 100 and must retry in 103, its smallest round above 100 (1 + 3k). It tried rounds [{string.Join(", ", rounds)}].");
        Assert.True(chosen == "mine", $"No acceptor has voted, so proposer 1's own value \"mine\" is chosen; it returned \"{chosen}\".");
        Assert.True(_cluster[0].State.Vrnd == 103 || _cluster[1].State.Vrnd == 103, $"A majority must have accepted \"mine\" in round 103 ({States}).");
    }

    [Fact]
    [Graded("2.5", 2)]
    public async Task An_accept_nacked_with_a_higher_round_is_retried_above_it_and_keeps_the_vote()
    {
        // A competing proposer prepares round 50 at acceptors 0 and 1 between this proposer's two phases.
        _cluster[0].RaiseBeforeNextAccept(50);
        _cluster[1].RaiseBeforeNextAccept(50);

        var proposer = NewProposer(1);
        var chosen = await RunAsync(proposer, "mine", maxRounds: 2);

        var rounds = proposer.RoundsTried;
        Assert.True(rounds.SequenceEqual([1L, 52L]), $"Acceptors 0 and 1 NACK the accept of round 1 with Learn{{Rnd=50}}, so the accept phase fails and proposer 1 (n = 3) must retry in 52, its smallest round above 50. It tried rounds [{string.Join(", ", rounds)}].");
        Assert.True(chosen == "mine", $"Acceptor 2 voted \"mine\" in round 1 and nobody else voted: round 52 must propose \"mine\" again; it returned \"{chosen}\".");
    }
}

using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage4.Tests;

/// <summary>
/// Thrifty phase 2 (protocol §4.4): the leader r2 sends each accept to a majority only, itself and
/// the follower r0, and to every replica when that majority has not decided the slot within
/// <see cref="ReplicaOptions.AcceptOthersAfter"/>; r1 learns the slots from their commits.
/// </summary>
[Trait("Stage", "4")]
public sealed class ThriftyAcceptTests : IAsyncDisposable
{
    private static readonly TimeSpan OthersAfter = TimeSpan.FromMilliseconds(5);
    private readonly HoldingCluster _cluster = new(acceptOthersAfter: OthersAfter);

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task The_accepts_go_to_a_majority_and_the_other_follower_learns_the_slots_from_their_commits()
    {
        var kv = new KvClient("bob", _cluster.Configuration(), new KvClientOptions { Mode = KvClientMode.LeaderDirect });
        await Eventually.WithinAsync(kv.PutAsync("k", "1"), "the first put, sent to every replica");
        _cluster.Time.Advance(TimeSpan.FromSeconds(2)); // long after the followers' forwards: only the leader answers clients now
        await Eventually.WithinAsync(kv.PutAsync("k", "2"), "the second put, sent to the leader r2 alone");
        await Eventually.WithinAsync(kv.PutAsync("k", "3"), "the third put, sent to the leader r2 alone");

        var toR0 = _cluster.Network.Writes("r2", "r0");
        var toR1 = _cluster.Network.Writes("r2", "r1");
        Assert.True(new[] { 1, 2, 3 }.All(slot => toR0.Any(w => w.Contains($"Accept({slot})", StringComparison.Ordinal))),
            $"the leader r2 should send the accept of slots 1 to 3 to r0, the follower of its first majority; its writes to r0 were: {string.Join(" | ", toR0)}");
        Assert.False(toR1.Any(w => w.Contains("Accept", StringComparison.Ordinal)),
            $"the leader r2 should send r1 no accept: r2 and r0 are a majority and answered in time; its writes to r1 were: {string.Join(" | ", toR1)}");
        Assert.True(_cluster.Replicas[1].State.Adu == 1,
            $"r1 should have run slot 1 only: its commit went out at once (r1 had forwarded the first put), the commits of slots 2 and 3 wait for the next write to r1; r1 ran up to slot {_cluster.Replicas[1].State.Adu}");

        // A client of every replica: r1 forwards its request and waits for the commit, so the leader writes the commits waiting for r1, together.
        var everyReplica = new KvClient("carol", _cluster.Configuration());
        await Eventually.WithinAsync(everyReplica.PutAsync("j", "1"), "a put of a client that waits for a quorum of replicas");
        await Eventually.WaitAsync(() => _cluster.Replicas[1].State.Adu == 4, "r1 to run slots 2 to 4 from their commits");
        toR1 = _cluster.Network.Writes("r2", "r1");
        Assert.True(toR1.Any(w => w.Contains("Commit(2) Commit(3)", StringComparison.Ordinal)),
            $"the leader r2 should send r1 the commits of slots 2 and 3 in one write; its writes to r1 were: {string.Join(" | ", toR1)}");
        Assert.Equal(_cluster.Replicas[2].State.ToString(), _cluster.Replicas[1].State.ToString()); // the same log run: adu, round and store
    }

    [Fact]
    public async Task A_follower_that_does_not_answer_costs_one_wait_then_the_accepts_go_to_the_other_follower()
    {
        _cluster.Network.Cut = "r0"; // r0 gets nothing, and so answers nothing
        var kv = new KvClient("bob", _cluster.Configuration(), new KvClientOptions { Mode = KvClientMode.LeaderDirect });
        var first = kv.PutAsync("k", "1");
        await Eventually.WaitAsync(() => _cluster.Network.Writes("r2", "r2").Any(w => w.Contains("Accept(1)", StringComparison.Ordinal)), "the leader r2 to send the accept of slot 1 to its first majority, r2 and r0");
        Assert.False(first.IsCompleted, "slot 1 cannot be decided before the leader r2 asks r1: r0 is cut off");
        Assert.DoesNotContain(_cluster.Network.Writes("r2", "r1"), w => w.Contains("Accept(1)", StringComparison.Ordinal));

        _cluster.Time.Advance(OthersAfter); // r0 has not answered within AcceptOthersAfter: the accept goes to every replica
        await Eventually.WithinAsync(first, "the first put, decided by r2 and r1 once the accept of slot 1 went to every replica");
        await Eventually.WithinAsync(kv.PutAsync("k", "2"), "the second put, sent to the leader r2 alone, without another wait");

        var toR1 = _cluster.Network.Writes("r2", "r1");
        Assert.True(toR1.Any(w => w.Contains("Accept(1)", StringComparison.Ordinal)) && toR1.Any(w => w.Contains("Accept(2)", StringComparison.Ordinal)),
            $"the leader r2 should send r1 the accept of slot 1 after the wait and then that of slot 2 in its first majority; its writes to r1 were: {string.Join(" | ", toR1)}");
        Assert.Contains("k=2", _cluster.Replicas[2].State.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_wait_that_is_not_positive_is_refused_with_its_name()
    {
        var error = Assert.Throws<ArgumentException>(() => new Replica(0, _cluster.Nodes, _cluster.Network, "r0", new ReplicaOptions { AcceptOthersAfter = TimeSpan.Zero }));
        Assert.Contains("AcceptOthersAfter", error.Message, StringComparison.Ordinal);
    }
}

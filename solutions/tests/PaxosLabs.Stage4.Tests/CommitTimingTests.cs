using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage4.Tests;

/// <summary>
/// When the given proposer's commits go out (protocol §4.4), over a network that, like gRPC, lets
/// a deferred message wait for the next write to its node: with nobody but the leader answering
/// clients, a commit rides with the next accept; once another replica forwards a request (it answers
/// a client too, and waits for the commit), the last slot in flight sends the commits at once.
/// </summary>
[Trait("Stage", "4")]
public sealed class CommitTimingTests : IAsyncDisposable
{
    // Every accept to every replica at once (no thrifty phase 2, ThriftyAcceptTests): each follower's commit rides with its accepts.
    private readonly HoldingCluster _cluster = new(acceptOthersAfter: null);

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task With_only_the_leader_answering_a_commit_waits_for_the_next_accept_to_carry_it()
    {
        var kv = new KvClient("bob", _cluster.Configuration(), new KvClientOptions { Mode = KvClientMode.LeaderDirect });
        await Eventually.WithinAsync(kv.PutAsync("k", "1"), "the first put, sent to every replica");
        await Eventually.WaitAsync(() => _cluster.Replicas.All(r => r.State.Adu == 1), "every replica to run slot 1: the followers forwarded the put and wait for its commit");
        _cluster.Time.Advance(TimeSpan.FromSeconds(2)); // long after the forwards: no replica but the leader waits now

        await Eventually.WithinAsync(kv.PutAsync("k", "2"), "the second put, sent to the leader r2 alone");
        Assert.Equal(2UL, _cluster.Replicas[2].State.Adu);
        Assert.True(_cluster.Replicas[0].State.Adu == 1 && _cluster.Replicas[1].State.Adu == 1,
            $"the commit of slot 2 should wait for the next accept (nobody but the leader answers clients now); the followers ran up to slots {_cluster.Replicas[0].State.Adu} and {_cluster.Replicas[1].State.Adu}");

        await Eventually.WithinAsync(kv.PutAsync("k", "3"), "the third put, sent to the leader r2 alone");
        await Eventually.WaitAsync(() => _cluster.Replicas[0].State.Adu == 2 && _cluster.Replicas[1].State.Adu == 2, "the accept of slot 3 to carry the commit of slot 2 to both followers");
        foreach (var follower in new[] { "r0", "r1" })
        {
            var writes = _cluster.Network.Writes("r2", follower);
            Assert.True(writes.Contains("Commit(2) Accept(3)"),
                $"the leader r2 should send the commit of slot 2 to {follower} in one write with the accept of slot 3; its writes were: {string.Join(" | ", writes)}");
        }

        // The leader learned its decisions when its AcceptQF was done: it votes through its own link, but sends itself no commit.
        var toItself = _cluster.Network.Writes("r2", "r2");
        Assert.True(toItself.Contains("Accept(3)") && !toItself.Any(w => w.Contains("Commit", StringComparison.Ordinal)),
            $"the leader r2 should send itself its accepts and no commit; its writes to itself were: {string.Join(" | ", toItself)}");
    }

    [Fact]
    public async Task Once_a_follower_forwards_a_request_the_commits_go_out_at_once()
    {
        var leaderDirect = new KvClient("bob", _cluster.Configuration(), new KvClientOptions { Mode = KvClientMode.LeaderDirect });
        await Eventually.WithinAsync(leaderDirect.PutAsync("k", "1"), "the first put, sent to every replica");
        _cluster.Time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.WithinAsync(leaderDirect.PutAsync("k", "2"), "a put to the leader r2 alone, whose commit waits");

        // A client of every replica needs a follower's answer too: the forward makes the leader send the commits that wait, and the next ones at once.
        var everyReplica = new KvClient("carol", _cluster.Configuration());
        for (var i = 0; i < 3; i++)
        {
            await Eventually.WithinAsync(everyReplica.AppendAsync("k", "+"), $"append {i + 1} of a client that waits for a quorum of replicas");
        }

        Assert.Equal(5UL, _cluster.Replicas[2].State.Adu);
        await Eventually.WaitAsync(() => _cluster.Replicas.All(r => r.State.Adu == 5), "every replica to run all 5 slots");
    }
}

using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Protocol;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
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
    private readonly HoldingNetwork _network = new();
    private readonly Dictionary<uint, string> _nodes = new() { [0] = "r0", [1] = "r1", [2] = "r2" };
    private readonly List<Replica> _replicas = [];
    private readonly FakeTimeProvider _time = new();
    private readonly Manager _client;

    public CommitTimingTests()
    {
        foreach (var (id, address) in _nodes)
        {
            // Every accept to every replica at once (no thrifty phase 2, ThriftyAcceptTests): each follower's commit rides with its accepts.
            var replica = new Replica(id, _nodes, _network, address, new ReplicaOptions { TimeProvider = _time, AcceptOthersAfter = null });
            _network.Inner.Listen(address, new GorumsServer().Register(replica));
            replica.OnLeaderChange(2);
            _replicas.Add(replica);
        }

        _client = new Manager(_network, new ManagerOptions { ClientName = "client" });
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_only_the_leader_answering_a_commit_waits_for_the_next_accept_to_carry_it()
    {
        var kv = new KvClient("bob", Configuration(), new KvClientOptions { Mode = KvClientMode.LeaderDirect });
        await Eventually.WithinAsync(kv.PutAsync("k", "1"), "the first put, sent to every replica");
        await Eventually.WaitAsync(() => _replicas.All(r => r.State.Adu == 1), "every replica to run slot 1: the followers forwarded the put and wait for its commit");
        _time.Advance(TimeSpan.FromSeconds(2)); // long after the forwards: no replica but the leader waits now

        await Eventually.WithinAsync(kv.PutAsync("k", "2"), "the second put, sent to the leader r2 alone");
        Assert.Equal(2UL, _replicas[2].State.Adu);
        Assert.True(_replicas[0].State.Adu == 1 && _replicas[1].State.Adu == 1,
            $"the commit of slot 2 should wait for the next accept (nobody but the leader answers clients now); the followers ran up to slots {_replicas[0].State.Adu} and {_replicas[1].State.Adu}");

        await Eventually.WithinAsync(kv.PutAsync("k", "3"), "the third put, sent to the leader r2 alone");
        await Eventually.WaitAsync(() => _replicas[0].State.Adu == 2 && _replicas[1].State.Adu == 2, "the accept of slot 3 to carry the commit of slot 2 to both followers");
        foreach (var follower in new[] { "r0", "r1" })
        {
            var writes = _network.Writes("r2", follower);
            Assert.True(writes.Contains("Commit(2) Accept(3)"),
                $"the leader r2 should send the commit of slot 2 to {follower} in one write with the accept of slot 3; its writes were: {string.Join(" | ", writes)}");
        }

        // The leader learned its decisions when its AcceptQF was done: it votes through its own link, but sends itself no commit.
        var toItself = _network.Writes("r2", "r2");
        Assert.True(toItself.Contains("Accept(3)") && !toItself.Any(w => w.Contains("Commit", StringComparison.Ordinal)),
            $"the leader r2 should send itself its accepts and no commit; its writes to itself were: {string.Join(" | ", toItself)}");
    }

    [Fact]
    public async Task Once_a_follower_forwards_a_request_the_commits_go_out_at_once()
    {
        var leaderDirect = new KvClient("bob", Configuration(), new KvClientOptions { Mode = KvClientMode.LeaderDirect });
        await Eventually.WithinAsync(leaderDirect.PutAsync("k", "1"), "the first put, sent to every replica");
        _time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.WithinAsync(leaderDirect.PutAsync("k", "2"), "a put to the leader r2 alone, whose commit waits");

        // A client of every replica needs a follower's answer too: the forward makes the leader send the commits that wait, and the next ones at once.
        var everyReplica = new KvClient("carol", Configuration());
        for (var i = 0; i < 3; i++)
        {
            await Eventually.WithinAsync(everyReplica.AppendAsync("k", "+"), $"append {i + 1} of a client that waits for a quorum of replicas");
        }

        Assert.Equal(5UL, _replicas[2].State.Adu);
        await Eventually.WaitAsync(() => _replicas.All(r => r.State.Adu == 5), "every replica to run all 5 slots");
    }

    private MultiPaxosConfiguration Configuration() =>
        new(_client.NewConfiguration(_nodes), new PaxosQSpec(3)) { Timeout = TimeSpan.FromSeconds(10) };
}

using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage4.Tests;

/// <summary>Tasks 4.4 and 4.6: three replicas with a fixed leader serve a client.</summary>
[Trait("Stage", "4")]
public sealed class ReplicaTests : IAsyncDisposable
{
    private readonly InMemoryNetwork _network = new();
    private readonly Dictionary<uint, string> _nodes = new() { [0] = "r0", [1] = "r1", [2] = "r2" };
    private readonly List<Replica> _replicas = [];
    private readonly Manager _client;

    public ReplicaTests()
        : this(new ReplicaOptions())
    {
    }

    private ReplicaTests(ReplicaOptions options)
    {
        foreach (var (id, address) in _nodes)
        {
            var replica = new Replica(id, _nodes, _network, address, options);
            _network.Listen(address, new GorumsServer().Register(replica));
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
    [Trait("Task", "4.4")]
    [Trait("Task", "4.6")]
    public async Task A_client_puts_and_gets_through_the_leader()
    {
        foreach (var replica in _replicas)
        {
            replica.OnLeaderChange(2);
        }

        var kv = new KvClient("alice", new MultiPaxosConfiguration(_client.NewConfiguration(_nodes), new PaxosQSpec(3)) { Timeout = TimeSpan.FromSeconds(10) });
        await Eventually.WithinAsync(kv.PutAsync("color", "blue"), "a put through leader r2");
        Assert.Equal("blue", await Eventually.WithinAsync(kv.GetAsync("color"), "a get through leader r2"));
    }

    [Fact]
    [Trait("Task", "4.4")]
    [Trait("Task", "4.6")]
    public async Task Batched_slots_run_every_command_once_on_every_replica()
    {
        // One slot in flight: while it is, requests queue up and the next slot carries them together.
        await using var group = new ReplicaTests(new ReplicaOptions { Alpha = 1, MaxBatch = 8 });
        foreach (var replica in group._replicas)
        {
            replica.OnLeaderChange(0);
        }

        var configuration = new MultiPaxosConfiguration(group._client.NewConfiguration(_nodes), new PaxosQSpec(3)) { Timeout = TimeSpan.FromSeconds(10) };
        var work = Enumerable.Range(0, 8).Select(async c =>
        {
            var kv = new KvClient($"c{c}", configuration);
            for (var i = 0; i < 5; i++)
            {
                await kv.AppendAsync("log", $"c{c}.{i};");
            }
        });
        await Eventually.WithinAsync(Task.WhenAll(work), "8 clients × 5 appends with one slot in flight");

        static int Appends(Replica r) => r.State.Data.GetValueOrDefault("log", "").Count(c => c == ';');
        await Eventually.WaitAsync(() => group._replicas.All(r => Appends(r) == 40), "every replica to run the 40 appends");
        Assert.Single(group._replicas.Select(r => r.State.Data["log"]).Distinct());
    }

    [Fact]
    [Trait("Task", "4.4")]
    [Trait("Task", "4.6")]
    public async Task A_leader_direct_client_learns_the_leader_from_the_answers_and_then_sends_there()
    {
        foreach (var replica in _replicas)
        {
            replica.OnLeaderChange(1);
        }

        var kv = new KvClient("bob", new MultiPaxosConfiguration(_client.NewConfiguration(_nodes), new PaxosQSpec(3)) { Timeout = TimeSpan.FromSeconds(10) }, new KvClientOptions { Mode = KvClientMode.LeaderDirect });
        await Eventually.WithinAsync(kv.PutAsync("color", "red"), "a put to every replica");
        Assert.True(kv.BelievedLeader == 1, $"every replica trusts r1, so the answers should name r1 as the leader; the client believes in {kv.BelievedLeader?.ToString() ?? "none"}");

        await Eventually.WithinAsync(kv.AppendAsync("color", "!"), "an append sent to the leader r1 alone");
        Assert.Equal("red!", await Eventually.WithinAsync(kv.GetAsync("color"), "a get sent to the leader r1 alone"));
        Assert.True(kv.BelievedLeader == 1, $"the leader r1 answered, so the client should still believe in r1, not {kv.BelievedLeader?.ToString() ?? "none"}");
    }
}

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
    {
        foreach (var (id, address) in _nodes)
        {
            var replica = new Replica(id, _nodes, _network, address);
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
}

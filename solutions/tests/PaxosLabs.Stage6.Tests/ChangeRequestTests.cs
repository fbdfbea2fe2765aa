using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;
using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.Stage6.Tests;

/// <summary>The given checks of a change request (protocol §6.1): a replica refuses at once a change it could never run.</summary>
[Trait("Stage", "6")]
[Trait("Task", "6.1")]
public sealed class ChangeRequestTests : IAsyncDisposable
{
    private static readonly Dictionary<uint, string> Nodes = new() { [0] = "r0", [1] = "r1", [2] = "r2", [3] = "r3" };
    private readonly InMemoryNetwork _network = new();
    private readonly Manager _client;
    private readonly List<Replica> _replicas = [];

    public ChangeRequestTests() => _client = new Manager(_network, new ManagerOptions { ClientName = "admin" });

    private async Task<Response> AskAsync(bool reconfigurable, Membership change)
    {
        var replica = new Replica(0, Nodes, _network, "r0", new ReplicaOptions { Reconfigurable = reconfigurable, Members = reconfigurable ? [0, 1, 2] : null });
        _replicas.Add(replica);
        _network.Listen("r0", new GorumsServer().Register(replica));
        var toReplica = new MultiPaxosConfiguration(_client.NewConfiguration([KeyValuePair.Create(0u, "r0")]), new FirstReplyQSpec()) { Timeout = TimeSpan.FromSeconds(30) };
        return await toReplica.ClientHandleAsync(new Value { ClientId = "admin", ClientSeq = 1, Reconfigure = change });
    }

    [Fact]
    public async Task A_change_naming_a_node_the_replicas_were_not_given_is_refused()
    {
        var answer = await AskAsync(true, MultiPaxosScenario.Members(0, 1, 7));
        Assert.Contains("replica(s) 7 are not among the nodes", answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_naming_a_replica_at_another_address_is_refused()
    {
        var change = MultiPaxosScenario.Members(0, 1);
        change.Nodes[1] = "elsewhere";
        var answer = await AskAsync(true, change);
        Assert.Contains("replica(s) 1 are named with another address", answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_is_not_reconfigurable_refuses_every_change()
    {
        var answer = await AskAsync(false, MultiPaxosScenario.Members(0, 1));
        Assert.Contains("this store does not change its configuration", answer.Error, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }
}

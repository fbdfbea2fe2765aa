using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Stage4.Tests;

/// <summary>
/// Three replicas r0, r1 and r2 on a <see cref="HoldingNetwork"/>, r2 leading, on a fake clock,
/// with a manager for clients: the cluster of the tests of when the leader's messages leave.
/// </summary>
internal sealed class HoldingCluster : IAsyncDisposable
{
    private readonly Manager _client;
    private readonly List<Replica> _replicas = [];

    /// <param name="acceptOthersAfter">The replicas' <see cref="ReplicaOptions.AcceptOthersAfter"/>; null: every accept to every replica at once.</param>
    public HoldingCluster(TimeSpan? acceptOthersAfter)
    {
        foreach (var (id, address) in Nodes)
        {
            var replica = new Replica(id, Nodes, Network, address, new ReplicaOptions { TimeProvider = Time, AcceptOthersAfter = acceptOthersAfter });
            Network.Inner.Listen(address, new GorumsServer().Register(replica));
            replica.OnLeaderChange(2);
            _replicas.Add(replica);
        }

        _client = new Manager(Network, new ManagerOptions { ClientName = "client" });
    }

    public HoldingNetwork Network { get; } = new();

    public Dictionary<uint, string> Nodes { get; } = new() { [0] = "r0", [1] = "r1", [2] = "r2" };

    /// <summary>The replicas, r0 at index 0.</summary>
    public IReadOnlyList<Replica> Replicas => _replicas;

    public FakeTimeProvider Time { get; } = new();

    /// <summary>The replicas as a client's configuration.</summary>
    public MultiPaxosConfiguration Configuration() =>
        new(_client.NewConfiguration(Nodes), new PaxosQSpec(3)) { Timeout = TimeSpan.FromSeconds(10) };

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }
}

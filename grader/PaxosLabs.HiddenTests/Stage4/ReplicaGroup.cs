using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>Three replicas r0, r1, r2 on an in-memory network, with clients; leaders are set by the test.</summary>
internal sealed class ReplicaGroup : IAsyncDisposable
{
    private readonly List<Manager> _clients = [];

    public ReplicaGroup(int n = 3, ReplicaOptions? options = null, IDeliveryScheduler? scheduler = null)
    {
        Network = new InMemoryNetwork(scheduler);
        Nodes = Enumerable.Range(0, n).ToDictionary(i => (uint)i, i => $"r{i}");
        // Generous deadlines: a loaded machine must never make a stable leader look failed.
        Replicas = [.. Nodes.Select(node => new Replica(node.Key, Nodes, Network, node.Value, options ?? new ReplicaOptions { CallTimeout = TimeSpan.FromSeconds(30), RequestTimeout = TimeSpan.FromSeconds(60) }))];
        foreach (var replica in Replicas)
        {
            Network.Listen(Nodes[replica.Id], new GorumsServer().Register(replica));
        }
    }

    public InMemoryNetwork Network { get; }

    public Dictionary<uint, string> Nodes { get; }

    public Replica[] Replicas { get; }

    public KvClient Client(string id) => new(id, Configuration(id));

    /// <summary>A client's configuration of all replicas; its calls wait up to a minute.</summary>
    public MultiPaxosConfiguration Configuration(string clientName)
    {
        var manager = new Manager(Network, new ManagerOptions { ClientName = $"client-{clientName}" });
        _clients.Add(manager);
        return new MultiPaxosConfiguration(manager.NewConfiguration(Nodes), new PaxosQSpec(Nodes.Count)) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public void Crash(uint id) => Network.Stop(Nodes[id]);

    public void Lead(uint leader, params uint[] at)
    {
        foreach (var id in at)
        {
            Replicas[id].OnLeaderChange(leader);
        }
    }

    /// <summary>The log of a replica as text: "1:a#1 2:no-op …".</summary>
    public string Log(uint id) =>
        string.Join(" ", Replicas[id].State.DecidedFrom(1).Decided.Select(l => $"{l.Slot}:{Votes.Show(l.Val)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        foreach (var replica in Replicas)
        {
            await replica.DisposeAsync();
        }
    }
}

using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;

namespace PaxosLabs.Testing;

/// <summary>
/// N servers on an in-memory network, with node ids 0..n−1 at addresses "node-0", "node-1", …,
/// and a manager with a configuration of all of them. Nodes can be stopped and restarted.
/// </summary>
public sealed class InMemoryCluster<TService> : IAsyncDisposable
    where TService : IGorumsService
{
    private readonly Func<uint, TService> _create;
    private readonly TService[] _services;

    public InMemoryCluster(int n, Func<uint, TService> create, ManagerOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        _create = create;
        _services = new TService[n];
        for (uint id = 0; id < n; id++)
        {
            Start(id);
        }

        Manager = new Manager(Network, options);
        Configuration = Manager.NewConfiguration(Enumerable.Range(0, n).Select(i => KeyValuePair.Create((uint)i, Address((uint)i))));
    }

    public InMemoryNetwork Network { get; } = new();

    public Manager Manager { get; }

    public Configuration Configuration { get; }

    /// <summary>The service instance of a node (the newest one after a restart).</summary>
    public TService this[uint id] => _services[id];

    public static string Address(uint id) => $"node-{id}";

    /// <summary>Stops a node as a crash would: its streams break, calls waiting on it fail.</summary>
    public void Stop(uint id) => Network.Stop(Address(id));

    /// <summary>Starts a node with fresh state at its old address; links reconnect to it.</summary>
    public void Start(uint id)
    {
        _services[id] = _create(id);
        Network.Listen(Address(id), new GorumsServer().Register(_services[id]));
    }

    public ValueTask DisposeAsync() => Manager.DisposeAsync();
}

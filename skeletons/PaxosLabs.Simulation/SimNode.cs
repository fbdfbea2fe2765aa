using Microsoft.Extensions.Logging.Abstractions;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;

namespace PaxosLabs.Simulation;

/// <summary>What a simulated node's code is given: its identity, the network, its clock and PRNG.</summary>
public sealed class SimEnvironment
{
    internal SimEnvironment(string name, uint id, InMemoryNetwork network, TimeProvider time, Random random)
    {
        Name = name;
        Id = id;
        Network = network;
        Time = time;
        Random = random;
    }

    /// <summary>The node's address and its name as a client.</summary>
    public string Name { get; }

    public uint Id { get; }

    public InMemoryNetwork Network { get; }

    public TimeProvider Time { get; }

    /// <summary>The node's PRNG, derived from the simulation's seed.</summary>
    public Random Random { get; }

    /// <summary>Manager options for the node's outgoing calls: the virtual clock and the node's name.</summary>
    public ManagerOptions ManagerOptions(TimeSpan? callTimeout = null) => new()
    {
        TimeProvider = Time,
        ClientName = Name,
        DefaultCallTimeout = callTimeout,
        LoggerFactory = NullLoggerFactory.Instance,
    };
}

/// <summary>A started node: the services it serves, the object tests inspect, and how to show its state.</summary>
public sealed record SimProcess(IReadOnlyList<IGorumsService> Services, object? Instance = null, Func<string>? Describe = null);

/// <summary>A node of the simulation across crashes and restarts.</summary>
public sealed class SimNode
{
    internal SimNode(string name, uint id, Func<SimEnvironment, SimProcess> start)
    {
        Name = name;
        Id = id;
        Start = start;
    }

    public string Name { get; }

    public uint Id { get; }

    /// <summary>The current incarnation's process (null while crashed).</summary>
    public SimProcess? Process { get; internal set; }

    public bool IsUp => Process is not null;

    public bool IsPaused { get; internal set; }

    /// <summary>Extra delay added to every message to or from this node.</summary>
    public TimeSpan Slowness { get; internal set; }

    internal Func<SimEnvironment, SimProcess> Start { get; }

    internal Incarnation? Current { get; set; }

    internal int Lives { get; set; }

    /// <summary>The process's instance as <typeparamref name="T"/>.</summary>
    public T Get<T>() where T : class =>
        Process?.Instance as T ?? throw new InvalidOperationException($"Node {Name} is down or is not a {typeof(T).Name}.");

    internal static GorumsServer Serve(SimProcess process)
    {
        var server = new GorumsServer();
        foreach (var service in process.Services)
        {
            server.Register(service);
        }

        return server;
    }
}

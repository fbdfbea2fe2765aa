using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Transport;

namespace PaxosLabs.Detectors;

/// <summary>
/// One node's detectors, wired: a manager connected to every node (this one included), the
/// failure detector that heartbeats them through it, the heartbeat server that feeds incoming
/// heartbeats to the failure detector, and the leader detector that follows its suspicions and
/// restorations. The host serves <see cref="Service"/> at the node's address:
/// <c>new GorumsServer().Register(node.Service)</c>.
/// </summary>
public sealed class DetectorNode : IAsyncDisposable
{
    /// <param name="id">This node's id; it must be a key of <paramref name="nodes"/>.</param>
    /// <param name="nodes">Every node's id and address, this one's included.</param>
    /// <param name="transport">How to reach them (in-memory network, gRPC).</param>
    /// <param name="timeProvider">The only clock of the detectors and of the manager.</param>
    public DetectorNode(uint id, IReadOnlyDictionary<uint, string> nodes, ITransport transport, TimeProvider timeProvider, DetectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!nodes.ContainsKey(id))
        {
            throw new ArgumentException($"Node {id} is not among the nodes ({string.Join(", ", nodes.Keys.Order())}).", nameof(nodes));
        }

        options ??= new DetectorOptions();
        options.Validate();
        Id = id;
        var logger = options.LoggerFactory.CreateLogger("PaxosLabs.Detectors");
        Manager = new Manager(transport, new ManagerOptions
        {
            TimeProvider = timeProvider,
            ClientName = options.ClientName ?? id.ToString(CultureInfo.InvariantCulture),
            LoggerFactory = options.LoggerFactory,
        });
        var configuration = Manager.NewConfiguration(nodes.OrderBy(n => n.Key));
        LeaderDetector = new LeaderDetector(nodes.Keys, options.SubscriberCapacity);
        var listener = new Fanout(id, LeaderDetector, options.Observer, logger);
        FailureDetector = new FailureDetector(id, nodes.Keys, options.Delta, new HeartbeatSender(configuration), listener, timeProvider);
        Service = new HeartbeatServer(FailureDetector);
    }

    public uint Id { get; }

    /// <summary>The connections to every node; heartbeats leave through it.</summary>
    public Manager Manager { get; }

    public FailureDetector FailureDetector { get; }

    public LeaderDetector LeaderDetector { get; }

    /// <summary>The heartbeat service to register in this node's <c>GorumsServer</c>.</summary>
    public HeartbeatServer Service { get; }

    /// <summary>The leader this node trusts now, or <see cref="LeaderDetector.NoLeader"/>.</summary>
    public long Leader => LeaderDetector.Leader;

    /// <summary>Leader changes from now on; see <see cref="LeaderDetector.Subscribe"/>.</summary>
    public ChannelReader<long> Subscribe() => LeaderDetector.Subscribe();

    /// <summary>Starts heartbeating; idempotent.</summary>
    public void Start() => FailureDetector.Start();

    /// <summary>Stops heartbeating for good; idempotent.</summary>
    public void Stop() => FailureDetector.Stop();

    /// <summary>Stops and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        Stop();
        await Manager.DisposeAsync();
    }

    /// <summary>Passes suspicions and restorations to the leader detector, then to the observer, and logs them.</summary>
    private sealed class Fanout(uint self, LeaderDetector leaders, ISuspicionListener? observer, ILogger logger) : ISuspicionListener
    {
        public void Suspect(uint id)
        {
            var before = leaders.Leader;
            leaders.Suspect(id);
            DetectorLog.Suspected(logger, self, id);
            LogLeader(before);
            observer?.Suspect(id);
        }

        public void Restore(uint id)
        {
            var before = leaders.Leader;
            leaders.Restore(id);
            DetectorLog.Restored(logger, self, id);
            LogLeader(before);
            observer?.Restore(id);
        }

        private void LogLeader(long before)
        {
            var after = leaders.Leader;
            if (after != before)
            {
                DetectorLog.LeaderChanged(logger, self, before, after);
            }
        }
    }
}

internal static partial class DetectorLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} suspects node {Suspect}")]
    public static partial void Suspected(ILogger logger, uint node, uint suspect);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} restores node {Restored}")]
    public static partial void Restored(ILogger logger, uint node, uint restored);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node}: leader {Before} -> {After} (-1: none)")]
    public static partial void LeaderChanged(ILogger logger, uint node, long before, long after);
}

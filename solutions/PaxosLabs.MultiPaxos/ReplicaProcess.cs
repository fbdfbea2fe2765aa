using System.Globalization;
using System.Threading.Channels;
using PaxosLabs.Detectors;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;

namespace PaxosLabs.MultiPaxos;

/// <summary>
/// One replica of the key-value store, wired the one way every runner runs it (the node's
/// <c>replica</c> and <c>cluster</c> commands, the benchmarks and the simulator's key-value world):
/// the failure and leader detectors of stage 3 (<see cref="DetectorNode"/>) and a
/// <see cref="Replica"/> on one transport and one clock, both registered in one server;
/// <see cref="Start"/> makes the replica follow the leader detector and catch up, and disposing it
/// stops everything in order. The runner hosts it: a gRPC host serves <see cref="Server"/> and is
/// handed over with <see cref="AttachHost"/>; the simulator serves <see cref="Services"/>.
/// Its background loops never fail silently, nor only at shutdown: a loop that fails is recorded in
/// <see cref="Failure"/> and reported to <see cref="Failed"/> when it fails.
/// </summary>
public sealed class ReplicaProcess : IAsyncDisposable
{
    private const int Created = 0;
    private const int Running = 1;
    private const int Disposed = 2;

    private readonly CancellationTokenSource _stop = new();
    private IAsyncDisposable? _host;
    private Task[] _loops = [];
    private ReplicaLoopException? _failure;
    private int _state = Created;

    /// <param name="nodes">Every replica's id and address, this one's included.</param>
    /// <param name="clientName">This replica's name as a client of the others, the detectors' too unless <paramref name="detectorOptions"/> names them.</param>
    /// <param name="options">The replica's settings; its <see cref="ReplicaOptions.TimeProvider"/> is the detectors' clock too.</param>
    public ReplicaProcess(uint id, IReadOnlyDictionary<uint, string> nodes, ITransport transport, string clientName, ReplicaOptions? options = null, DetectorOptions? detectorOptions = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        options ??= new ReplicaOptions();
        options.Validate();
        var detectors = detectorOptions ?? new DetectorOptions();
        Id = id;
        // The replica's messages to itself (its own accept, its own commit) stay in the process.
        Server = new GorumsServer(options.LoggerFactory);
        if (nodes.TryGetValue(id, out var own))
        {
            transport.ServeLocally(own, Server); // (an id not among the nodes: the replica's constructor says so)
        }

        Detector = new DetectorNode(id, nodes, transport, options.TimeProvider, new DetectorOptions
        {
            Delta = detectors.Delta,
            ClientName = detectors.ClientName ?? clientName,
            SubscriberCapacity = detectors.SubscriberCapacity,
            Observer = detectors.Observer,
            LoggerFactory = detectors.LoggerFactory,
        });
        Replica = new Replica(id, nodes, transport, clientName, options) { LeaderAmong = LeaderAmong };
        Services = [Replica, Detector.Service];
        // Both services are registered before any message reaches them (nothing is sent before Start):
        // a registry is not meant to change while serving.
        Server.Register(Replica).Register(Detector.Service);
    }

    public uint Id { get; }

    /// <summary>
    /// Stage 6: the leader among the replicas of a configuration: the highest id the failure detector
    /// does not suspect (the detectors watch every node, spares too), or none.
    /// </summary>
    private long LeaderAmong(IReadOnlyCollection<uint> members)
    {
        var suspected = Detector.LeaderDetector.Suspected;
        return members.Where(m => !suspected.Contains(m)).Select(m => (long)m).DefaultIfEmpty(LeaderDetector.NoLeader).Max();
    }

    public DetectorNode Detector { get; }

    public Replica Replica { get; }

    /// <summary>The services a host must serve at this replica's address: the replica's and the heartbeats.</summary>
    public IReadOnlyList<IGorumsService> Services { get; }

    /// <summary>A server of <see cref="Services"/>, for a host of any transport.</summary>
    public GorumsServer Server { get; }

    /// <summary>
    /// The leader this replica follows now, or <see cref="LeaderDetector.NoLeader"/>: its leader
    /// detector's choice (stage 6: among the replicas of the configuration of its next slot).
    /// </summary>
    public long Leader => Replica.Leader;

    /// <summary>
    /// Told (before, after) of every change of the leader this replica trusts, the first one at
    /// <see cref="Start"/> (before = none). Runs on a loop of its own, so a slow observer never holds
    /// up the replica; an observer that throws fails that loop (<see cref="Failed"/>).
    /// </summary>
    public Action<long, long>? LeaderChanged { get; init; }

    /// <summary>Told when a background loop of this replica fails, at once; the loop has stopped, the rest keeps running.</summary>
    public Action<ReplicaLoopException>? Failed { get; init; }

    /// <summary>The first failure of a background loop (follow, catch-up, leader report), or null.</summary>
    public ReplicaLoopException? Failure => Volatile.Read(ref _failure);

    /// <summary>This replica's links to the others, the detectors' and the replica's.</summary>
    public IEnumerable<Node> Links => Detector.Manager.Nodes.Concat(Replica.Peers.Configuration);

    /// <summary>Whether every link to <paramref name="ids"/> (all nodes when null) is up.</summary>
    public bool Connected(IReadOnlyCollection<uint>? ids = null) =>
        Links.Where(n => ids is null || ids.Contains(n.Id)).All(n => n.State == LinkState.Ready);

    /// <summary>
    /// Hands over the host that serves <see cref="Server"/>: disposing this process disposes the host
    /// first, so that a disposal is a crash-stop: the peers see the streams break before anything
    /// else stops.
    /// </summary>
    public void AttachHost(IAsyncDisposable host)
    {
        ArgumentNullException.ThrowIfNull(host);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) == Disposed, this);
        if (Interlocked.CompareExchange(ref _host, host, null) is not null)
        {
            throw new InvalidOperationException($"Replica {Id} has a host already.");
        }
    }

    /// <summary>Starts the detectors, makes the replica follow the leader they trust, and starts catch-up. Once only.</summary>
    public void Start()
    {
        var before = Interlocked.CompareExchange(ref _state, Running, Created);
        ObjectDisposedException.ThrowIf(before == Disposed, this);
        if (before == Running)
        {
            throw new InvalidOperationException($"Replica {Id} runs already.");
        }

        // The detectors' timer is made before the replica's: in the simulator, timers due at the same
        // instant fire in the order they were made, so this order is part of every seed's run.
        Detector.Start();
        // Subscribe first, then read the leader: a subscription does not replay the current leader,
        // and on real threads the detector publishes from its timer at any moment. A change after
        // the subscription arrives on it; one before it is in the leader read after it.
        var forReplica = Detector.Subscribe();
        // The report follows the replica: the leader it follows, which (stage 6) is not always the detector's.
        var forReport = LeaderChanged is null ? null : Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
        if (forReport is not null)
        {
            Replica.Followed = leader => forReport.Writer.TryWrite(leader);
        }

        Replica.OnLeaderChange(Detector.Leader);
        var followed = Replica.Leader;
        LeaderChanged?.Invoke(LeaderDetector.NoLeader, followed);
        List<Task> loops = [WatchAsync("follow", Replica.FollowAsync(forReplica, _stop.Token))];
        if (forReport is not null)
        {
            loops.Add(WatchAsync("leader report", ReportAsync(forReport.Reader, followed)));
        }

        loops.Add(WatchAsync("catch-up", Replica.CatchUpAsync(_stop.Token)));
        _loops = [.. loops];
    }

    /// <summary>
    /// Stops for good, in order: the host (see <see cref="AttachHost"/>), the loops, the replica
    /// and the detectors. Never throws for a loop that failed: that was reported when it happened.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, Disposed) == Disposed)
        {
            return;
        }

        if (Interlocked.Exchange(ref _host, null) is { } host)
        {
            await host.DisposeAsync();
        }

        // Cancel, not CancelAsync: the simulator runs this code, and CancelAsync leaves its thread.
        _stop.Cancel();
        await Replica.DisposeAsync();
        await Detector.DisposeAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }

    private async Task ReportAsync(ChannelReader<long> changes, long last)
    {
        // Not ReadAllAsync: it continues on the thread pool, outside the simulator.
        while (await changes.WaitToReadAsync(_stop.Token))
        {
            while (changes.TryRead(out var leader))
            {
                if (leader != last)
                {
                    LeaderChanged!(last, leader);
                    last = leader;
                }
            }
        }
    }

    /// <summary>Awaits a loop; a failure is recorded and reported now, so that it neither goes unseen nor turns up only at shutdown.</summary>
    private async Task WatchAsync(string loop, Task running)
    {
        try
        {
            await running;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // stopped
        }
#pragma warning disable CA1031 // any failure of a loop is reported, with the loop's name, instead of being lost
        catch (Exception e)
#pragma warning restore CA1031
        {
            var failure = new ReplicaLoopException(Id, loop, e);
            Interlocked.CompareExchange(ref _failure, failure, null);
            Failed?.Invoke(failure);
        }
    }
}

/// <summary>A background loop of a <see cref="ReplicaProcess"/> failed and stopped; the inner exception says why.</summary>
public sealed class ReplicaLoopException(uint replica, string loop, Exception inner)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"replica {replica}: its {loop} loop failed: {inner.GetType().Name}: {inner.Message}"), inner)
{
    /// <summary>The replica whose loop failed.</summary>
    public uint Replica { get; } = replica;

    /// <summary>Which loop: follow, catch-up or leader report.</summary>
    public string Loop { get; } = loop;
}

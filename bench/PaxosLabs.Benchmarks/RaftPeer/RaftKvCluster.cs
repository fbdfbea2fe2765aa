using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Grpc.Net.Client;

namespace PaxosLabs.Benchmarks;

/// <summary>
/// n DotNext Raft nodes in this process, each with its own TCP listener on 127.0.0.1 (a free port
/// picked at start), its own <see cref="WriteAheadLog"/> in a temporary folder and its own
/// <see cref="RaftKvStateMachine"/>. Membership is static (all n members known from the start, no
/// cold start), as in DotNext's RaftNode example. With <see cref="RaftClientHop.Grpc"/> each node also
/// serves its clients over gRPC (<see cref="RaftFrontDoor"/>). Disposing stops every node, disposes
/// the logs and deletes the folders, each step bounded in time.
/// </summary>
internal sealed class RaftKvCluster : IAsyncDisposable
{
    private readonly List<Node> _nodes = [];
    private readonly List<RaftFrontDoor> _frontDoors = [];
    private readonly List<string> _doorAddresses = [];
    private readonly RaftPeerOptions _options;
    private readonly string _root;

    private RaftKvCluster(RaftPeerOptions options, string root)
    {
        _options = options;
        _root = root;
    }

    /// <summary>The settings as DotNext reports them (transport, timeouts, WAL), for the results page.</summary>
    public IReadOnlyList<string> Configuration { get; private set; } = [];

    public static async Task<RaftKvCluster> StartAsync(RaftPeerOptions options, CancellationToken token)
    {
        var parent = options.StateRoot ?? (Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath());
        var root = Path.Combine(parent, $"paxoslabs-raft-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var cluster = new RaftKvCluster(options, root);
        try
        {
            var endPoints = FreeLoopbackEndPoints(options.Nodes);
            for (var i = 0; i < options.Nodes; i++)
            {
                cluster._nodes.Add(cluster.CreateNode(i, endPoints));
            }

            cluster.Configuration = Describe(cluster._nodes[0], options, root);
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(token);
            bound.CancelAfter(options.ElectionTimeout);
            foreach (var node in cluster._nodes)
            {
                await node.Raft.StartAsync(bound.Token).ConfigureAwait(false);
            }

            if (options.ClientHop == RaftClientHop.Grpc)
            {
                foreach (var node in cluster._nodes)
                {
                    var door = await RaftFrontDoor.StartAsync(node.Raft, bound.Token).ConfigureAwait(false);
                    cluster._frontDoors.Add(door);
                    cluster._doorAddresses.Add(door.Address);
                }
            }
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return cluster;
    }

    public RaftCluster Raft(int index) => _nodes[index].Raft;

    /// <summary>A client's way to node <paramref name="leader"/>, over the configured hop.</summary>
    public IRaftPutter CreatePutter(int leader, CancellationToken lifetime) => _options.ClientHop == RaftClientHop.Grpc
        ? new GrpcPutter(_doorAddresses, leader, lifetime)
        : new InProcessPutter(this, leader);

    /// <summary>
    /// The index of the node that is leader now, waiting (bounded) for an election if there is
    /// none. Every node is polled rather than trusting one node's view: a node only reports
    /// leadership while its own leader state holds.
    /// </summary>
    public async Task<int> WaitForLeaderAsync(CancellationToken token)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.ElectionTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            token.ThrowIfCancellationRequested();
            for (var i = 0; i < _nodes.Count; i++)
            {
                var raft = _nodes[i].Raft;
                if (raft.Leader is { IsRemote: false } && !raft.LeadershipToken.IsCancellationRequested)
                {
                    return i;
                }
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"no Raft leader among {_nodes.Count} nodes within {_options.ElectionTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After the load: waits (bounded) until every node has applied everything the leader
    /// committed, then compares the stores. Returns a one-line verdict for the results page.
    /// </summary>
    public async Task<string> CheckReplicasAsync(long expectedPuts, CancellationToken token)
    {
        var leader = await WaitForLeaderAsync(token).ConfigureAwait(false);
        var committed = _nodes[leader].Log.LastCommittedEntryIndex;
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(token);
        bound.CancelAfter(_options.ElectionTimeout);
        try
        {
            foreach (var node in _nodes)
            {
                await node.Log.WaitForApplyAsync(committed, bound.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            return $"**failed**: not every node applied index {committed} within {_options.ElectionTimeout.TotalSeconds:0} s";
        }

        var prints = _nodes.Select(n => (n.Machine.Executed, Print: n.Machine.Fingerprint())).ToList();
        var same = prints.All(p => p == prints[0]);
        var executed = prints[0].Executed;
        return same && executed == expectedPuts
            ? $"passed: all {_nodes.Count} nodes applied the same {executed:N0} puts (every acknowledged put, once) and hold identical stores ({prints[0].Print.Keys} keys)"
            : $"**failed**: acknowledged {expectedPuts:N0} puts; nodes applied {string.Join(" / ", prints.Select(p => p.Executed.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}, stores {(same ? "identical" : "differ")}";
    }

    public async ValueTask DisposeAsync()
    {
        using var bound = new CancellationTokenSource(_options.StopTimeout);
        foreach (var door in _frontDoors)
        {
            await Quietly(() => door.DisposeAsync().AsTask()).ConfigureAwait(false);
        }

        _doorAddresses.Clear();
        _frontDoors.Clear();
        foreach (var node in _nodes)
        {
            await Quietly(() => node.Raft.StopAsync(bound.Token)).ConfigureAwait(false);
        }

        foreach (var node in _nodes)
        {
            await Quietly(() => node.Raft.DisposeAsync().AsTask()).ConfigureAwait(false);
            await Quietly(() => node.Log.DisposeAsync().AsTask()).ConfigureAwait(false);
        }

        _nodes.Clear();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"raft peer: could not delete {_root}: {e.Message}").ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException e)
        {
            await Console.Error.WriteLineAsync($"raft peer: could not delete {_root}: {e.Message}").ConfigureAwait(false);
        }

        async Task Quietly(Func<Task> step)
        {
            try
            {
                await step().WaitAsync(_options.StopTimeout).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // shutdown goes on past a node that fails to stop; the failure is reported
            catch (Exception e)
#pragma warning restore CA1031
            {
                await Console.Error.WriteLineAsync($"raft peer: shutdown step failed: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            }
        }
    }

    private Node CreateNode(int index, IReadOnlyList<IPEndPoint> endPoints)
    {
        var config = new RaftCluster.TcpConfiguration(endPoints[index])
        {
            ColdStart = false,
            LowerElectionTimeout = _options.LowerElectionTimeoutMs,
            UpperElectionTimeout = _options.UpperElectionTimeoutMs,
            ConfigurationStorage = null, // DotNext's in-memory storage, filled below
        };
        var members = ((InMemoryClusterConfigurationStorage<EndPoint>)config.ConfigurationStorage!).CreateInitialConfigurationBuilder();
        foreach (var endPoint in endPoints)
        {
            members.Add(endPoint);
        }

        members.Build();

        var machine = new RaftKvStateMachine();
        var walOptions = new WriteAheadLog.Options
        {
            Location = Path.Combine(_root, $"node-{index}"),
            ConcurrencyLevel = _options.Clients.Max() + (2 * _options.Nodes),
            ChunkSize = _options.WalChunkSize ?? Environment.SystemPageSize, // DotNext's own default
        };
        var log = new WriteAheadLog(walOptions, machine);
        var raft = new RaftCluster(config) { AuditTrail = log };
        return new Node(raft, log, machine, config, walOptions);
    }

    /// <summary>Ports the OS hands out for port 0, all held at once so they differ, then released for the nodes.</summary>
    private static List<IPEndPoint> FreeLoopbackEndPoints(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(l => (IPEndPoint)l.LocalEndpoint)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    private static List<string> Describe(Node node, RaftPeerOptions options, string root)
    {
        var tcp = node.Config;
        var wal = node.WalOptions;
        return
        [
            $"DotNext.Net.Cluster {typeof(RaftCluster).Assembly.GetName().Version}: `RaftCluster` with `TcpConfiguration` (TCP on 127.0.0.1, one listener per node, static membership of {options.Nodes}, no cold start)",
            $"election timeout {tcp.LowerElectionTimeout}–{tcp.UpperElectionTimeout} ms, heartbeat at {tcp.HeartbeatThreshold:0.##} of it, request timeout {tcp.RequestTimeout.TotalMilliseconds:0} ms, transmission block {tcp.TransmissionBlockSize} B",
            $"`WriteAheadLog` per node under `{Path.GetDirectoryName(root)}` ({(IsTmpfs(root) ? "tmpfs: RAM only" : "a disk folder")}): memory {wal.MemoryManagement}, chunk {wal.ChunkSize} B, integrity hash {wal.HashAlgorithm}, concurrency level {wal.ConcurrencyLevel}; flushed (msync + fsync) at every commit, which DotNext 6.12 always does; no snapshots",
            options.ClientHop == RaftClientHop.Grpc
                ? "clients: one gRPC duplex stream each (HTTP/2, 127.0.0.1) to the leader's `RaftKvService`, which calls `ReplicateAsync` and answers when it returns"
                : "clients: call the leader's `ReplicateAsync` in process (no client hop)",
            $"state machine: `RaftKvStateMachine`, an in-memory string dictionary plus a per-client session table, applied on every node; a put is acknowledged when `ReplicateAsync` returns (committed by a majority, applied on the leader)",
        ];
    }

    private static bool IsTmpfs(string path) => path.StartsWith("/dev/shm/", StringComparison.Ordinal);

    private sealed record Node(RaftCluster Raft, WriteAheadLog Log, RaftKvStateMachine Machine, RaftCluster.TcpConfiguration Config, WriteAheadLog.Options WalOptions);
}

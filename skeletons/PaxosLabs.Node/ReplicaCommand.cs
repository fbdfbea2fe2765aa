using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Threading.Channels;
using PaxosLabs.Detectors;
using PaxosLabs.Gorums.Grpc;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Node;

/// <summary>
/// Stage 4: one replica of the replicated key-value store in this process: a gRPC host at its own
/// address from the map, the failure and leader detectors of stage 3, and the replica. Every
/// leader change is printed as a line <c>leader 3</c> (<c>leader none</c> when every node is
/// suspected). Runs until Ctrl-C or SIGTERM, then shuts down and exits 0; bad configuration
/// exits 2 with one line on stderr.
/// </summary>
internal static class ReplicaCommand
{
    public static Command Create()
    {
        var id = new Option<uint>("--id") { Description = "This replica's id: one of the ids of --nodes.", Required = true };
        var nodes = new Option<string>("--nodes") { Description = $"Every replica's id and address, this one's included: id=host:port,… e.g. {NodeMap.Example}", Required = true };
        var delta = new Option<int>("--delta-ms") { Description = "The failure detector's delta in milliseconds: its first timeout and the step by which it grows (10–5000).", DefaultValueFactory = _ => 100 };
        var alpha = new Option<int>("--alpha") { Description = "At most this many slots in flight, and the capacity of the client queue (1–1024).", DefaultValueFactory = _ => 16 };
        var command = new Command("replica", "Stage 4: run one replica of the replicated key-value store (Multi-Paxos over gRPC) until Ctrl-C.") { id, nodes, delta, alpha };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(id), parse.GetValue(nodes), parse.GetValue(delta), parse.GetValue(alpha), token));
        return command;
    }

    private static async Task<int> RunAsync(uint id, string? nodesText, int deltaMs, int alpha, CancellationToken token)
    {
        Dictionary<uint, string> nodes;
        try
        {
            nodes = NodeMap.Parse(nodesText);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }

        if (!nodes.ContainsKey(id))
        {
            await Console.Error.WriteLineAsync($"error: --id {id} is not in --nodes (ids {string.Join(", ", nodes.Keys.Order())})");
            return 2;
        }

        if (ReplicaNode.CheckSettings(deltaMs, alpha) is { } problem)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
            return 2;
        }

        using var interruption = new Interruption(token);
        await using var node = new ReplicaNode(id, nodes, TimeSpan.FromMilliseconds(deltaMs), alpha, (_, leader) => Console.WriteLine($"leader {ReplicaNode.Show(leader)}"));
        try
        {
            await node.ListenAsync(interruption.Token);
            // Its own links first: heartbeats to itself that cannot leave yet would make it suspect itself.
            await node.ConnectedAsync([id], TimeSpan.FromSeconds(5), interruption.Token);
        }
        catch (ListenException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (interruption.Token.IsCancellationRequested)
        {
            return 0;
        }

        Console.WriteLine($"replica {id} serves at {nodes[id]}; {nodes.Count} replicas ({NodeMap.Show(nodes)}), quorum {new PaxosQSpec(nodes.Count).QuorumSize}; delta {deltaMs} ms, alpha {alpha}; Ctrl-C stops it");
        node.Start();
        try
        {
            await Task.Delay(Timeout.Infinite, interruption.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM
        }

        Console.WriteLine("stopping");
        await node.DisposeAsync();
        Console.WriteLine("stopped");
        return 0;
    }
}

/// <summary>The replica's address cannot be listened at (port in use, not a local address, …).</summary>
internal sealed class ListenException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// One replica, fully wired and independent of any other in the process: its own transport and
/// managers, a <see cref="DetectorNode"/> and a <see cref="Replica"/> registered in one
/// <see cref="GorumsServer"/>, and (after <see cref="ListenAsync"/>) the gRPC host that serves them.
/// Disposing it is a crash-stop: the host goes first, so its peers see the streams break.
/// </summary>
internal sealed class ReplicaNode : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<long, long>? _onLeaderChange;
    private readonly string _address;
    private GorumsGrpcHost? _host;
    private Task _follow = Task.CompletedTask;
    private Task _report = Task.CompletedTask;
    private Task _catchUp = Task.CompletedTask;
    private bool _disposed;

    /// <param name="onLeaderChange">Told (before, after) of every change of the leader this replica trusts, the initial one included (before = none).</param>
    public ReplicaNode(uint id, IReadOnlyDictionary<uint, string> nodes, TimeSpan delta, int alpha, Action<long, long>? onLeaderChange)
    {
        Id = id;
        _address = nodes[id];
        _onLeaderChange = onLeaderChange;
        var transport = NodeMap.Transport();
        var name = string.Create(CultureInfo.InvariantCulture, $"replica-{id}");
        Detector = new DetectorNode(id, nodes, transport, TimeProvider.System, new DetectorOptions { Delta = delta, ClientName = name });
        Replica = new Replica(id, nodes, transport, name, new ReplicaOptions
        {
            Alpha = alpha,
            // Not one seed for all: two would-be leaders must not back off in lockstep.
#pragma warning disable CA5394 // backoffs, not security
            Random = new Random(Random.Shared.Next()),
#pragma warning restore CA5394
        });
        // Both services are registered before the host starts: the registry is not meant to change while serving.
        Server = new GorumsServer().Register(Replica).Register(Detector.Service);
    }

    public uint Id { get; }

    public DetectorNode Detector { get; }

    public Replica Replica { get; }

    public GorumsServer Server { get; }

    /// <summary>The leader this replica's detector trusts, or <see cref="LeaderDetector.NoLeader"/>.</summary>
    public long Leader => Detector.Leader;

    public static string Show(long leader) => leader == LeaderDetector.NoLeader ? "none" : leader.ToString(CultureInfo.InvariantCulture);

    /// <summary>A one-line problem with the settings, or null.</summary>
    public static string? CheckSettings(int deltaMs, int alpha) =>
        deltaMs is < 10 or > 5000 ? $"--delta-ms must be between 10 and 5000, not {deltaMs}"
        : alpha is < 1 or > 1024 ? $"--alpha must be between 1 and 1024, not {alpha}"
        : null;

    /// <summary>Starts serving at the replica's address; <see cref="ListenException"/> with a one-line reason when it cannot.</summary>
    public async Task ListenAsync(CancellationToken token)
    {
        try
        {
            _host = await GorumsGrpcHost.StartAsync(Server, _address, cancellationToken: token);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            var port = GrpcTransport.ToUri(_address).Port;
            throw new ListenException(InUse(e)
                ? $"replica {Id} cannot listen at {_address}: port {port} is already in use (by another replica or program)"
                : $"replica {Id} cannot listen at {_address}: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new ListenException($"replica {Id} cannot listen at {_address}: {e.Message}", e);
        }
    }

    private static bool InUse(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.GetType().Name == "AddressInUseException")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Waits (at most <paramref name="bound"/>) until the links of the detectors and of the
    /// replica to <paramref name="ids"/> are up, so that connecting is not mistaken for crashing.
    /// </summary>
    public async Task ConnectedAsync(IReadOnlyCollection<uint> ids, TimeSpan bound, CancellationToken token)
    {
        var start = TimeProvider.System.GetTimestamp();
        while (!Detector.Manager.Nodes.Concat(Replica.Peers.Configuration).Where(n => ids.Contains(n.Id)).All(n => n.State == LinkState.Ready)
            && TimeProvider.System.GetElapsedTime(start) < bound)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), token);
        }
    }

    /// <summary>Wires the replica to its leader detector, starts catch-up and heartbeats.</summary>
    public void Start()
    {
        // Subscribe first, then read the leader: a subscription does not replay the current one.
        var forReplica = Detector.Subscribe();
        var forReport = Detector.Subscribe();
        var leader = Detector.Leader;
        Replica.OnLeaderChange(leader);
        _onLeaderChange?.Invoke(LeaderDetector.NoLeader, leader);
        _follow = Replica.FollowAsync(forReplica, _stop.Token);
        _report = ReportAsync(forReport, leader);
        _catchUp = Replica.CatchUpAsync(TimeSpan.FromMilliseconds(100), _stop.Token);
        Detector.Start();
    }

    private async Task ReportAsync(ChannelReader<long> changes, long last)
    {
        try
        {
            await foreach (var leader in changes.ReadAllAsync(_stop.Token))
            {
                if (leader != last)
                {
                    _onLeaderChange?.Invoke(last, leader);
                    last = leader;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // stopped
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _stop.CancelAsync();
        await Replica.DisposeAsync();
        await Detector.DisposeAsync();
        await Task.WhenAll(_follow, _report, _catchUp);
        _stop.Dispose();
    }
}

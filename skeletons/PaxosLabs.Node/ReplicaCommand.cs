using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using PaxosLabs.Detectors;
using PaxosLabs.Durable;
using PaxosLabs.Gorums.Grpc;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Node;

/// <summary>
/// Stage 4: one replica of the replicated key-value store in this process (a
/// <see cref="ReplicaProcess"/>: the failure and leader detectors of stage 3 and the replica) on a
/// gRPC host at its own address from the map. Every leader change is printed as a line
/// <c>leader 3</c> (<c>leader none</c> when every node is suspected). Runs until Ctrl-C or SIGTERM,
/// then shuts down and exits 0, or 1 when one of the replica's background loops failed (printed on
/// stderr when it failed); bad configuration exits 2 with one line on stderr.
/// Stage 5: with <c>--data-dir</c> the replica keeps its acceptor state, decided log and snapshots
/// there, so it may be killed (even with SIGKILL) and started again with the same folder.
/// </summary>
internal static class ReplicaCommand
{
    public static Command Create()
    {
        var id = new Option<uint>("--id") { Description = "This replica's id: one of the ids of --nodes.", Required = true };
        var nodes = new Option<string>("--nodes") { Description = $"Every replica's id and address, this one's included: id=host:port,… e.g. {NodeMap.Example}", Required = true };
        var delta = new Option<int>("--delta-ms") { Description = "The failure detector's delta in milliseconds: its first timeout and the step by which it grows (10–5000).", DefaultValueFactory = _ => 100 };
        var alpha = new Option<int>("--alpha") { Description = "At most this many slots in flight, and the capacity of the client queue (1–1024).", DefaultValueFactory = _ => 16 };
        var dataDir = new Option<string?>("--data-dir") { Description = "Stage 5: keep this replica's state in this folder (made when missing), so that it can restart; without it the state is in memory and a restarted replica must not rejoin." };
        var members = new Option<string?>("--members") { Description = "Stage 6: the ids of the initial configuration, e.g. 1,2,3 (every replica of the store is given the same); the other nodes of --nodes are spares that may join. Given, the store may change its configuration (protocol §6); every replica must then be given the same --alpha." };
        var command = new Command("replica", "Stage 4: run one replica of the replicated key-value store (Multi-Paxos over gRPC) until Ctrl-C; stage 5: durable with --data-dir; stage 6: reconfigurable with --members.") { id, nodes, delta, alpha, dataDir, members };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(id), parse.GetValue(nodes), parse.GetValue(delta), parse.GetValue(alpha), parse.GetValue(dataDir), parse.GetValue(members), token));
        return command;
    }

    /// <summary>Stage 6: "1,2,3" as ids of <paramref name="nodes"/>; a one-line problem otherwise.</summary>
    internal static (IReadOnlyCollection<uint>? Members, string? Problem) ParseMembers(string? text, IReadOnlyDictionary<uint, string> nodes)
    {
        if (text is null)
        {
            return (null, null);
        }

        var ids = new List<uint>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var member))
            {
                return (null, $"--members must be node ids separated by commas, e.g. 1,2,3; \"{part}\" is not an id");
            }

            if (!nodes.ContainsKey(member))
            {
                return (null, $"--members names {member}, which is not in --nodes (ids {string.Join(", ", nodes.Keys.Order())})");
            }

            ids.Add(member);
        }

        return ids.Distinct().Count() != ids.Count ? (null, "--members names a node twice") : (ids, null);
    }

    private static async Task<int> RunAsync(uint id, string? nodesText, int deltaMs, int alpha, string? dataDir, string? membersText, CancellationToken token)
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

        var (members, membersProblem) = ParseMembers(membersText, nodes);
        if ((membersProblem ?? GrpcReplica.CheckSettings(deltaMs, alpha)) is { } problem)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
            return 2;
        }

        DurableJournal? journal = null;
        try
        {
            journal = dataDir is null ? null : DurableJournal.Open(dataDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"error: --data-dir {dataDir}: {e.Message}");
            return 2;
        }

        using var closeJournal = journal;
        using var interruption = new Interruption(token);
        ReplicaProcess created;
        try
        {
            created = GrpcReplica.Create(id, nodes, TimeSpan.FromMilliseconds(deltaMs), alpha,
                (_, leader) => Console.WriteLine($"leader {GrpcReplica.Show(leader)}"),
                failure => Console.Error.WriteLine($"error: {failure.Message}"),
                journal,
                members);
        }
        catch (Exception e) when (e is CorruptStorageException or IOException)
        {
            await Console.Error.WriteLineAsync($"error: replica {id} cannot recover from {dataDir}: {e.Message}");
            return 2;
        }

        await using var replica = created;
        try
        {
            await GrpcReplica.ListenAsync(replica, nodes[id], interruption.Token);
            // Its own links first: heartbeats to itself that cannot leave yet would make it suspect itself.
            await GrpcReplica.ConnectedAsync(replica, [id], TimeSpan.FromSeconds(5), interruption.Token);
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

        var configuration = members is null
            ? $"{nodes.Count} replicas ({NodeMap.Show(nodes)}), quorum {new PaxosQSpec(nodes.Count).QuorumSize}"
            : $"nodes {NodeMap.Show(nodes)}, initial configuration {{{string.Join(", ", members.Order())}}}{(members.Contains(id) ? "" : $" (replica {id} is a spare)")}, reconfigurable";
        Console.WriteLine($"replica {id} serves at {nodes[id]}; {configuration}; delta {deltaMs} ms, alpha {alpha}; {(journal is null ? "state in memory" : $"state in {Path.GetFullPath(dataDir!)}, recovered up to slot {replica.Replica.State.Adu}")}; Ctrl-C stops it");
        replica.Start();
        try
        {
            await Task.Delay(Timeout.Infinite, interruption.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM
        }

        Console.WriteLine("stopping");
        await replica.DisposeAsync();
        Console.WriteLine("stopped");
        // A loop that failed was printed when it failed; the exit code says so too.
        return replica.Failure is null ? 0 : 1;
    }
}

/// <summary>The replica's address cannot be listened at (port in use, not a local address, …).</summary>
internal sealed class ListenException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// A <see cref="ReplicaProcess"/> on gRPC, for the <c>replica</c> and <c>cluster</c> commands: each
/// replica has its own transport (so it is independent of any other in the process), is served by
/// its own Kestrel host at its address, and backs off with a PRNG of its own.
/// </summary>
internal static class GrpcReplica
{
    /// <param name="journal">Stage 5: where the replica keeps its state; null: in memory.</param>
    /// <param name="members">Stage 6: the ids of the initial configuration (the other nodes are spares); given, the store may change its configuration. Null: every node, for good.</param>
    public static ReplicaProcess Create(uint id, IReadOnlyDictionary<uint, string> nodes, TimeSpan delta, int alpha, Action<long, long>? onLeaderChange, Action<ReplicaLoopException>? onFailure, IReplicaJournal? journal = null, IReadOnlyCollection<uint>? members = null) =>
        new(id, nodes, NodeMap.Transport(), string.Create(CultureInfo.InvariantCulture, $"replica-{id}"), new ReplicaOptions
        {
            Alpha = alpha,
            Journal = journal,
            Reconfigurable = members is not null,
            Members = members,
            // Not one seed for all: two would-be leaders must not back off in lockstep.
#pragma warning disable CA5394 // backoffs, not security
            Random = new Random(Random.Shared.Next()),
#pragma warning restore CA5394
        }, new DetectorOptions { Delta = delta })
        {
            LeaderChanged = onLeaderChange,
            Failed = onFailure,
        };

    public static string Show(long leader) => leader == LeaderDetector.NoLeader ? "none" : leader.ToString(CultureInfo.InvariantCulture);

    /// <summary>A one-line problem with the settings, or null.</summary>
    public static string? CheckSettings(int deltaMs, int alpha) =>
        deltaMs is < 10 or > 5000 ? $"--delta-ms must be between 10 and 5000, not {deltaMs}"
        : alpha is < 1 or > 1024 ? $"--alpha must be between 1 and 1024, not {alpha}"
        : null;

    /// <summary>Starts serving the replica at <paramref name="address"/>; <see cref="ListenException"/> with a one-line reason when it cannot.</summary>
    public static async Task ListenAsync(ReplicaProcess replica, string address, CancellationToken token)
    {
        try
        {
            replica.AttachHost(await GorumsGrpcHost.StartAsync(replica.Server, address, cancellationToken: token));
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            var port = GrpcTransport.ToUri(address).Port;
            throw new ListenException(InUse(e)
                ? $"replica {replica.Id} cannot listen at {address}: port {port} is already in use (by another replica or program)"
                : $"replica {replica.Id} cannot listen at {address}: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new ListenException($"replica {replica.Id} cannot listen at {address}: {e.Message}", e);
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
    public static async Task ConnectedAsync(ReplicaProcess replica, IReadOnlyCollection<uint> ids, TimeSpan bound, CancellationToken token)
    {
        var start = TimeProvider.System.GetTimestamp();
        while (!replica.Connected(ids) && TimeProvider.System.GetElapsedTime(start) < bound)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), token);
        }
    }
}

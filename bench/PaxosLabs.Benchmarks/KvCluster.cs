using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using PaxosLabs.Detectors;
using PaxosLabs.Durable;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Grpc;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Benchmarks;

/// <summary>
/// n replicas of the key-value store on 127.0.0.1, in this process but independent of each other,
/// wired like the kit's <c>cluster</c> command: each is a <see cref="ReplicaProcess"/> (failure and
/// leader detectors and <see cref="Replica"/>) with its own gRPC transport and
/// <see cref="GorumsGrpcHost"/>. Clients are the kit's <see cref="KvClient"/>s (a ClientHandle
/// quorum call to every replica), over one client transport. A replica's background loop that
/// fails is printed at once, and disposing the cluster then throws: the run's numbers are void.
/// </summary>
internal sealed class KvCluster : IAsyncDisposable
{
    /// <summary>The failure detector's delta: a crashed leader is suspected after about this long.</summary>
    public static readonly TimeSpan Delta = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<uint, ReplicaProcess> _live = [];
    private readonly ConcurrentQueue<ReplicaLoopException> _failures = new();
    private readonly Dictionary<uint, KvClient> _clients = [];
    private readonly List<DurableJournal> _journals = [];
    private readonly Manager _clientManager = new(Transport(), new ManagerOptions { ClientName = "bench-clients" });
    private MultiPaxosConfiguration? _configuration;

    private KvCluster(int alpha, int maxBatch, string? stateRoot, KvClientMode clientMode)
    {
        Alpha = alpha;
        MaxBatch = maxBatch;
        StateRoot = stateRoot;
        ClientMode = clientMode;
    }

    /// <summary>Where the clients send their requests: every replica, or the leader they believe in.</summary>
    public KvClientMode ClientMode { get; }

    /// <summary>Stage 5: the folder under which each replica keeps its journal (deleted at the end); null: in memory.</summary>
    public string? StateRoot { get; }

    public int Alpha { get; }

    public int MaxBatch { get; }

    public IReadOnlyCollection<ReplicaProcess> Live => _live.Values;

    /// <summary>Starts n replicas and returns once all of them trust one leader that has run phase 1.</summary>
    /// <param name="stateRoot">Stage 5: a fresh folder for the replicas' journals (write-ahead log and snapshots), deleted at the end; null: in memory.</param>
    public static async Task<KvCluster> StartAsync(int size, int alpha, int maxBatch, string? stateRoot = null, KvClientMode clientMode = KvClientMode.AllReplicas)
    {
        var cluster = new KvCluster(alpha, maxBatch, stateRoot, clientMode);
        try
        {
            var addresses = Enumerable.Range(1, size).ToDictionary(i => (uint)i, _ => $"127.0.0.1:{FreePort()}");
            foreach (var id in addresses.Keys)
            {
                cluster._live[id] = cluster.NewReplica(id, addresses);
            }

            foreach (var replica in cluster.Live)
            {
                replica.AttachHost(await GorumsGrpcHost.StartAsync(replica.Server, addresses[replica.Id]));
            }

            // Connected before the detectors start, so that connecting is not mistaken for crashing.
            await Until(() => cluster.Live.All(r => r.Connected()), "the replicas to connect to each other");
            foreach (var replica in cluster.Live)
            {
                replica.Start();
            }

            await Until(() => cluster.LeaderReady is not null, "the replicas to agree on a leader");
            cluster._configuration = new MultiPaxosConfiguration(cluster._clientManager.NewConfiguration(addresses), new PaxosQSpec(size)) { Timeout = TimeSpan.FromSeconds(2) };
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>The replica that every live replica trusts and that has run phase 1, else null.</summary>
    public ReplicaProcess? LeaderReady
    {
        get
        {
            var views = Live.Select(r => r.Replica.Leader).Distinct().ToList();
            return views.Count == 1 && _live.TryGetValue((uint)Math.Max(views[0], 0), out var leader) && leader.Replica.IsLeader && leader.Replica.Proposer.Terms > 0 ? leader : null;
        }
    }

    /// <summary>Client <paramref name="index"/> (one per closed-loop worker, kept across repetitions): each call puts its next value.</summary>
    public Func<Task> Writer(int index)
    {
        if (!_clients.TryGetValue((uint)index, out var client))
        {
            client = new KvClient(string.Create(CultureInfo.InvariantCulture, $"w{index}"), _configuration!, new KvClientOptions { Mode = ClientMode });
            _clients[(uint)index] = client;
        }

        var key = string.Create(CultureInfo.InvariantCulture, $"key-{index}");
        var n = 0L;
        return () => client.PutAsync(key, string.Create(CultureInfo.InvariantCulture, $"value-{++n:D10}"));
    }

    /// <summary>Crash-stop: the host goes first, so the peers and clients see their streams break.</summary>
    public async Task KillAsync(ReplicaProcess replica)
    {
        _live.Remove(replica.Id);
        await replica.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _live.Values.ToList())
        {
            await replica.DisposeAsync();
        }

        _live.Clear();
        await _clientManager.DisposeAsync();
        foreach (var journal in _journals)
        {
            journal.Dispose();
        }

        if (StateRoot is not null && Directory.Exists(StateRoot))
        {
            Directory.Delete(StateRoot, recursive: true);
        }

        if (!_failures.IsEmpty)
        {
            throw new InvalidOperationException($"{_failures.Count} background loop(s) of the replicas failed during the run, so its numbers are void; the first: {_failures.First().Message}", _failures.First());
        }
    }

    private ReplicaProcess NewReplica(uint id, IReadOnlyDictionary<uint, string> nodes)
    {
        DurableJournal? journal = null;
        if (StateRoot is not null)
        {
            journal = DurableJournal.Open(Path.Combine(StateRoot, string.Create(CultureInfo.InvariantCulture, $"replica-{id}")));
            _journals.Add(journal);
        }

#pragma warning disable CA5394 // backoffs, not security
        return new(id, nodes, Transport(), string.Create(CultureInfo.InvariantCulture, $"replica-{id}"), new ReplicaOptions { Alpha = Alpha, MaxBatch = MaxBatch, Random = new Random((int)id), Journal = journal }, new DetectorOptions { Delta = Delta })
#pragma warning restore CA5394
        {
            Failed = failure =>
            {
                _failures.Enqueue(failure);
                Console.Error.WriteLine($"error: {failure.Message}");
            },
        };
    }

    public static async Task Until(Func<bool> condition, string what)
    {
        var start = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(5);
        }
    }

    internal static GrpcTransport Transport() => new(new GrpcTransportOptions
    {
        DialTimeout = TimeSpan.FromSeconds(2),
        MaxBackoff = TimeSpan.FromMilliseconds(500),
        ChannelOptions = new GrpcChannelOptions { InitialReconnectBackoff = TimeSpan.FromMilliseconds(100), MaxReconnectBackoff = TimeSpan.FromSeconds(1) },
    });

    /// <summary>A free port on 127.0.0.1 (the replicas must know each other's addresses before any of them listens).</summary>
    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}

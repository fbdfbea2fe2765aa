using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Benchmarks;

/// <summary>One cell of figure 2: a contender with n replicas and k closed-loop clients.</summary>
/// <remarks>CPU, bytes and thread-pool work items are per command for the whole process (clients, replicas, their hosts), median over the repetitions.</remarks>
internal sealed record KvRow(int Nodes, int Clients, string Contender, Spread CommandsPerSecond, Spread P50Ms, Spread P90Ms, Spread P99Ms, long Commands, double CpuUs = double.NaN, double Bytes = double.NaN, double WorkItems = double.NaN);

/// <summary>A replicated store that figure 2 writes to: one writer per client, each call one acknowledged Put.</summary>
internal interface IKvContender : IAsyncDisposable
{
    string Label { get; }

    Func<Task> Writer(int client);
}

/// <summary>The kit's Multi-Paxos store over gRPC, batching on or off; durable (stage 5) with a state root.</summary>
internal sealed class MultiPaxosContender(KvCluster cluster) : IKvContender
{
    public string Label => (cluster.StateRoot is null ? "Multi-Paxos" : "durable Multi-Paxos")
        + (cluster.ClientMode == KvClientMode.LeaderDirect ? ", leader-direct clients" : "")
        + (cluster.MaxBatch == 1 ? ", batching off (MaxBatch 1" : $", batching on (MaxBatch {cluster.MaxBatch}") + $", Alpha {cluster.Alpha})";

    public static async Task<IKvContender> StartAsync(int nodes, int alpha, int maxBatch, string? stateRoot = null, KvClientMode clientMode = KvClientMode.AllReplicas) =>
        new MultiPaxosContender(await KvCluster.StartAsync(nodes, alpha, maxBatch, stateRoot, clientMode));

    public Func<Task> Writer(int client) => cluster.Writer(client);

    public ValueTask DisposeAsync() => cluster.DisposeAsync();
}

/// <summary>
/// Figure 2: committed commands per second and latency of Put writes from k closed-loop clients
/// (each waits for its acknowledgement, i.e. the command is decided and executed at a quorum,
/// before its next Put). The contenders run side by side, interleaved per repetition as in
/// figure 1. The Raft peer is measured beside the fastest of them in the raft figure (<see cref="RaftPeerOptions.Partner"/>).
/// </summary>
internal static class KvThroughput
{
    /// <summary>Few slots in flight make each slot carry more values: the batching contender with a small Alpha.</summary>
    public const int SmallAlpha = 2;

    /// <summary>
    /// The contenders at n replicas, started in this order: batching off and on at the default
    /// Alpha, and on with a small Alpha (with Alpha 16, values rarely queue, since a slot is
    /// almost always free; with 2, they queue and slots carry batches).
    /// </summary>
    public static IEnumerable<Func<Task<IKvContender>>> Contenders(int nodes) =>
    [
        () => MultiPaxosContender.StartAsync(nodes, Defaults.Alpha, maxBatch: 1),
        () => MultiPaxosContender.StartAsync(nodes, Defaults.Alpha, Defaults.MaxBatch),
        () => MultiPaxosContender.StartAsync(nodes, SmallAlpha, Defaults.MaxBatch),
        () => MultiPaxosContender.StartAsync(nodes, Defaults.Alpha, Defaults.MaxBatch, clientMode: KvClientMode.LeaderDirect),
        () => MultiPaxosContender.StartAsync(nodes, SmallAlpha, Defaults.MaxBatch, clientMode: KvClientMode.LeaderDirect),
    ];

    private static readonly ReplicaOptions Defaults = new();

    public static async Task<List<KvRow>> RunAsync(Settings settings)
    {
        var rows = new List<KvRow>();
        foreach (var n in settings.KvSizes)
        {
            rows.AddRange(await MeasureAsync(settings, n, Contenders(n)));
        }

        return rows;
    }

    /// <summary>The contenders at n replicas, started in order and measured side by side at each client count of the settings.</summary>
    public static async Task<List<KvRow>> MeasureAsync(Settings settings, int n, IEnumerable<Func<Task<IKvContender>>> starters)
    {
        var rows = new List<KvRow>();
        var contenders = new List<IKvContender>();
        try
        {
            foreach (var start in starters)
            {
                contenders.Add(await start());
            }

            foreach (var clients in settings.KvClients)
            {
                var writers = contenders.ToDictionary(c => c, c => Enumerable.Range(0, clients).Select(c.Writer).ToList());
                foreach (var c in contenders)
                {
                    var warm = await ClosedLoop.WarmUpAsync(writers[c], settings);
                    Console.WriteLine($"  n={n} clients={clients} {c.Label}: {warm}");
                }

                var runs = contenders.ToDictionary(c => c, _ => new List<LoopRun>());
                for (var rep = 0; rep < settings.Repetitions; rep++)
                {
                    foreach (var c in ClosedLoop.Order(contenders, rep))
                    {
                        GC.Collect();
                        GC.WaitForPendingFinalizers();
                        var run = await ClosedLoop.RunAsync(writers[c], settings.RunDuration);
                        runs[c].Add(run);
                        Console.WriteLine($"  n={n} clients={clients} rep {rep + 1}/{settings.Repetitions} {c.Label}: {run.CallsPerSecond:F0} commands/s, p50 {run.P50Ms:F3} ms, p90 {run.P90Ms:F3} ms, p99 {run.P99Ms:F3} ms, {run.CpuUsPerCall:F1} µs CPU, {run.BytesPerCall:F0} B, {run.WorkItemsPerCall:F1} work items per command");
                    }
                }

                rows.AddRange(contenders.Select(c => new KvRow(n, clients, c.Label,
                    Spread.Of(runs[c].Select(r => r.CallsPerSecond)),
                    Spread.Of(runs[c].Select(r => r.P50Ms)),
                    Spread.Of(runs[c].Select(r => r.P90Ms)),
                    Spread.Of(runs[c].Select(r => r.P99Ms)),
                    runs[c].Sum(r => r.Calls),
                    Spread.Of(runs[c].Select(r => r.CpuUsPerCall)).Median,
                    Spread.Of(runs[c].Select(r => r.BytesPerCall)).Median,
                    Spread.Of(runs[c].Select(r => r.WorkItemsPerCall)).Median)));
            }
        }
        finally
        {
            foreach (var c in contenders)
            {
                await c.DisposeAsync();
            }
        }

        return rows;
    }
}

using System.Globalization;

namespace PaxosLabs.Benchmarks;

/// <summary>One storage of figure 6: the durable store's rows and the Raft peer's, measured on the same folder's file system.</summary>
internal sealed record DurableStorageResult(string Storage, string Root, IReadOnlyList<KvRow> Paxos, RaftPeerResult Raft);

/// <summary>
/// Figure 6 (stage 5): the durable Multi-Paxos store (each replica's write-ahead log fsynced before
/// every answer, group commit) beside the Raft peer (its WAL flushed at every commit), both on the
/// same storage: a folder on the machine's disk, and tmpfs (<c>/dev/shm</c>, RAM only). Three
/// replicas, the settings' client counts, the same closed loop of Puts as figure 2.
/// </summary>
internal static class DurableThroughput
{
    public const int Nodes = 3;

    /// <summary>The storages measured: the temp folder (a disk here) and /dev/shm when it exists.</summary>
    public static IEnumerable<(string Storage, string Parent)> Storages()
    {
        yield return ("disk", Path.GetTempPath());
        if (Directory.Exists("/dev/shm"))
        {
            yield return ("tmpfs", "/dev/shm");
        }
    }

    public static async Task<List<DurableStorageResult>> RunAsync(Settings settings)
    {
        var results = new List<DurableStorageResult>();
        foreach (var (storage, parent) in Storages())
        {
            var root = Path.Combine(parent, string.Create(CultureInfo.InvariantCulture, $"paxoslabs-durable-{Environment.ProcessId}-{Guid.NewGuid():N}"));
            Console.WriteLine($"  storage: {storage} ({parent})");
            var defaults = new MultiPaxos.ReplicaOptions();
            var paxos = await KvThroughput.MeasureAsync(settings, Nodes,
            [
                () => MultiPaxosContender.StartAsync(Nodes, defaults.Alpha, defaults.MaxBatch, root + "-all"),
                () => MultiPaxosContender.StartAsync(Nodes, defaults.Alpha, defaults.MaxBatch, root + "-direct", MultiPaxos.KvClientMode.LeaderDirect),
            ]);
            // The peer runs beside a durable leader-direct store on the same storage, in the same repetitions: the paired ratio.
            RaftPeerResult raft;
            await using (var partner = await MultiPaxosContender.StartAsync(Nodes, defaults.Alpha, defaults.MaxBatch, root + "-paired", MultiPaxos.KvClientMode.LeaderDirect))
            {
                raft = await RaftPeer.RunAsync(RaftPeerOptions.From(settings) with { StateRoot = parent, Clients = settings.KvClients, Progress = Console.WriteLine, Partner = partner }, CancellationToken.None);
            }

            results.Add(new DurableStorageResult(storage, parent, paxos, raft));
        }

        return results;
    }

    public static void Write(List<DurableStorageResult>? results, Action<string> line)
    {
        if (results is null)
        {
            return;
        }

        line("## Figure 6: the durable store beside the Raft peer, on the same storage");
        line("");
        line($"Stage 5's store ({Nodes} replicas, batching at its default, each replica's write-ahead log in a folder of its own and");
        line("fsynced before every answer, accepts sharing flushes: group commit) and the Raft peer of figure 2 (its WAL flushed at");
        line("every commit), doing the same closed loop of Puts, first with both on a folder of the machine's disk, then both on");
        line("tmpfs (`/dev/shm`, RAM only: an fsync costs almost nothing). The store runs twice: with clients that send each request to");
        line("every replica, and with leader-direct clients (protocol §4.5). Median (min–max) over the repetitions. The peer's own");
        line("runs come after the store's, so the ratio of those medians moves with the machine's drift; the paired column runs a");
        line("third store (durable, leader-direct, on the same storage) in the same repetitions as the peer, one after the other, and");
        line("takes the ratio per repetition (median, min–max): the goal is judged on it.");
        line("");
        line("| storage | clients | durable Multi-Paxos | commands/s | Raft peer commands/s | ratio | paired ratio, leader-direct | p50 ms, Paxos | p50 ms, Raft |");
        line("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var result in results)
        {
            foreach (var paxos in result.Paxos)
            {
                var raft = result.Raft.Row(paxos.Clients);
                var ratio = raft is null || raft.CommandsPerSecond.Median <= 0 ? "n/a" : (paxos.CommandsPerSecond.Median / raft.CommandsPerSecond.Median).ToString("F2", CultureInfo.InvariantCulture) + "×";
                var direct = paxos.Contender.Contains("leader-direct", StringComparison.Ordinal);
                var paired = direct && raft?.Ratio is { } pairs ? S(pairs, "F2") : "";
                line(string.Create(CultureInfo.InvariantCulture,
                    $"| {result.Storage} | {paxos.Clients} | {(direct ? "leader-direct clients" : "clients to every replica")} | {S(paxos.CommandsPerSecond, "N0")} | {(raft is null ? "n/a" : S(raft.CommandsPerSecond, "N0"))} | {ratio} | {paired} | {S(paxos.P50Ms, "F3")} | {(raft is null ? "n/a" : S(raft.P50Ms, "F3"))} |"));
            }
        }

        line("");
        line("The issue's goal is at least 1.5× the peer's commands/s on the same storage; the ratio column says where the store stands.");
        line("");
        // One client in a closed loop does one command after the other: its rate is one over its latency.
        var budgets = results
            .Select(r => (r.Storage, Peer: r.Raft.Row(1)?.CommandsPerSecond.Median ?? 0))
            .Where(r => r.Peer > 0)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"on {r.Storage} the peer committed {r.Peer:N0} commands/s, which leaves the store {1000 / (1.5 * r.Peer):F3} ms per command"))
            .ToList();
        if (budgets.Count > 0)
        {
            line($"One client, for 1.5× the peer: {string.Join("; ", budgets)}, flush included. A command of one client is two round trips one");
            line("after the other on gRPC streams (the client's call to the leader, the leader's accept to the next follower); docs/performance.md,");
            line("figure 2, \"One client: two gRPC round trips\", sets them beside figure 1's measure of one.");
            line("");
        }
    }

    private static string S(Spread s, string format) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Median.ToString(format, CultureInfo.InvariantCulture)} ({s.Min.ToString(format, CultureInfo.InvariantCulture)}–{s.Max.ToString(format, CultureInfo.InvariantCulture)})");
}

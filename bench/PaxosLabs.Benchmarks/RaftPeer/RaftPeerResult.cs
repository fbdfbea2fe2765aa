namespace PaxosLabs.Benchmarks;

/// <summary>
/// One timed closed loop against the Raft leader: committed (majority-replicated and applied on the
/// leader) puts, and their latencies. <see cref="Retries"/> counts puts sent again because the
/// leader changed (0 in a healthy run).
/// </summary>
internal sealed record RaftPeerRun(int Nodes, int Clients, int Repetition, long Commands, TimeSpan Elapsed, double P50Ms, double P90Ms, double P99Ms, long Retries)
{
    public double CommandsPerSecond => Commands / Elapsed.TotalSeconds;
}

/// <summary>The repetitions of one client count: median (min–max) of each measure.</summary>
internal sealed record RaftPeerRow(int Nodes, int Clients, Spread CommandsPerSecond, Spread P50Ms, Spread P90Ms, Spread P99Ms, long Commands, long Retries);

/// <summary>
/// What <see cref="RaftPeer.RunAsync"/> measured: every repetition, a row per client count, how the
/// cluster was configured (read back from DotNext's own option objects), and the end-of-run check
/// that every node applied the same puts to an identical store.
/// </summary>
internal sealed record RaftPeerResult(RaftPeerOptions Options, IReadOnlyList<RaftPeerRun> Runs, IReadOnlyList<RaftPeerRow> Rows, IReadOnlyList<string> Configuration, string ReplicaCheck)
{
    public RaftPeerRow? Row(int clients) => Rows.FirstOrDefault(r => r.Clients == clients);
}

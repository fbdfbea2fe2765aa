namespace PaxosLabs.Benchmarks;

/// <summary>
/// One timed closed loop against the Raft leader: committed (majority-replicated and applied on the
/// leader) puts, and their latencies. <see cref="Retries"/> counts puts sent again because the
/// leader changed (0 in a healthy run).
/// </summary>
internal sealed record RaftPeerRun(int Nodes, int Clients, int Repetition, long Commands, TimeSpan Elapsed, double P50Ms, double P90Ms, double P99Ms, long Retries)
{
    public double CommandsPerSecond => Commands / Elapsed.TotalSeconds;

    /// <summary>The partner store's run in the same repetition (<see cref="RaftPeerOptions.Partner"/>), if any.</summary>
    public LoopRun? Partner { get; init; }
}

/// <summary>
/// The repetitions of one client count: median (min–max) of each measure; with a partner, its
/// commands/s and p50 in the same repetitions, and the ratios partner ÷ peer taken per repetition.
/// </summary>
internal sealed record RaftPeerRow(int Nodes, int Clients, Spread CommandsPerSecond, Spread P50Ms, Spread P90Ms, Spread P99Ms, long Commands, long Retries)
{
    public Spread? PartnerCommandsPerSecond { get; init; }

    public Spread? PartnerP50Ms { get; init; }

    /// <summary>Partner commands/s ÷ peer commands/s, per repetition.</summary>
    public Spread? Ratio { get; init; }

    /// <summary>Partner p50 ÷ peer p50, per repetition (below 1: the partner answers sooner).</summary>
    public Spread? P50Ratio { get; init; }
}

/// <summary>
/// What <see cref="RaftPeer.RunAsync"/> measured: every repetition, a row per client count, how the
/// cluster was configured (read back from DotNext's own option objects), and the end-of-run check
/// that every node applied the same puts to an identical store.
/// </summary>
internal sealed record RaftPeerResult(RaftPeerOptions Options, IReadOnlyList<RaftPeerRun> Runs, IReadOnlyList<RaftPeerRow> Rows, IReadOnlyList<string> Configuration, string ReplicaCheck)
{
    /// <summary>The partner store's label, when one ran in the same repetitions.</summary>
    public string? PartnerLabel { get; init; }

    public RaftPeerRow? Row(int clients) => Rows.FirstOrDefault(r => r.Clients == clients);
}

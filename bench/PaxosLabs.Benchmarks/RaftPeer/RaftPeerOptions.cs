namespace PaxosLabs.Benchmarks;

/// <summary>
/// How the Raft peer (issue 10, figure 2) is built and loaded. The defaults are the figure's: three
/// nodes, 1, 16 and 64 clients, 16-byte keys over 100 keys and 16-byte values (the kit's
/// <c>client load</c> also uses 100 keys).
/// </summary>
internal sealed record RaftPeerOptions
{
    /// <summary>Cluster size (3 or 5 for the figure; any odd or even n from 1 to 9 works).</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>Closed-loop client counts, measured in this order on one cluster.</summary>
    public IReadOnlyList<int> Clients { get; init; } = [1, 16, 64];

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan RunDuration { get; init; } = TimeSpan.FromSeconds(3);

    public int Repetitions { get; init; } = 5;

    /// <summary>Bytes per key (ASCII, e.g. <c>k000000000000042</c>).</summary>
    public int KeySize { get; init; } = 16;

    /// <summary>Bytes per value (ASCII).</summary>
    public int ValueSize { get; init; } = 16;

    /// <summary>How many distinct keys the puts spread over (uniformly, seeded per client).</summary>
    public int Keys { get; init; } = 100;

    /// <summary>How clients reach the leader: over gRPC like the kit's clients (the figure), or in process.</summary>
    public RaftClientHop ClientHop { get; init; } = RaftClientHop.Grpc;

    /// <summary>Raft election timeout range; the leader's heartbeat is half the lower bound (DotNext's default threshold).</summary>
    public int LowerElectionTimeoutMs { get; init; } = 1000;

    public int UpperElectionTimeoutMs { get; init; } = 2000;

    /// <summary>
    /// Folder under which each node's WAL gets its own temporary folder (deleted at the end). Null:
    /// <c>/dev/shm</c> when it exists, else the temp folder. DotNext 6's WAL flushes (msync and
    /// fsync) what it commits; on /dev/shm, a RAM-backed tmpfs, that reaches memory only, the nearest
    /// to the kit's in-memory acceptor state. Point it at a disk folder to measure a durable Raft.
    /// </summary>
    public string? StateRoot { get; init; }

    /// <summary>
    /// Size of one WAL chunk file (DotNext's <c>ChunkSize</c>); null keeps DotNext's default, the
    /// system page size (4 KiB on x64 Linux). The default here is 8 MiB: every chunk is a file of its
    /// own, memory-mapped, and a full run appends hundreds of thousands of puts per node, so larger
    /// chunks keep the number of files and mappings small.
    /// </summary>
    public int? WalChunkSize { get; init; } = 8 << 20;

    /// <summary>Bound on starting the nodes and electing a leader (also on finding a new one after a leader change).</summary>
    public TimeSpan ElectionTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A store measured in the same repetitions as the peer (the kit's fastest store contender): each
    /// repetition runs both, one after the other in alternating order, so the two see the same phase
    /// of a machine whose speed drifts, and their ratio is taken per repetition. Null: the peer alone.
    /// </summary>
    public IKvContender? Partner { get; init; }

    /// <summary>Bound on stopping and disposing the cluster.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Where progress lines go (one per repetition); null for none.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>The suite's settings: same warm-up, run length and repetitions as figure 1.</summary>
    public static RaftPeerOptions From(Settings settings) => new()
    {
        Warmup = settings.Warmup,
        RunDuration = settings.RunDuration,
        Repetitions = settings.Repetitions,
    };

    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message);
            }
        }

        Check(Nodes is >= 1 and <= 9, $"Nodes must be 1–9, not {Nodes}");
        Check(Clients.Count > 0 && Clients.All(c => c is >= 1 and <= 1024), "Clients must be 1–1024 each, at least one count");
        Check(Repetitions is >= 1 and <= 100, $"Repetitions must be 1–100, not {Repetitions}");
        Check(Warmup >= TimeSpan.Zero && Warmup <= TimeSpan.FromMinutes(5), "Warmup must be 0–5 min");
        Check(RunDuration > TimeSpan.Zero && RunDuration <= TimeSpan.FromMinutes(5), "RunDuration must be above 0 and at most 5 min");
        Check(Keys is >= 1 and <= 1_000_000, $"Keys must be 1–1000000, not {Keys}");
        Check(KeySize >= (Keys - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 1 && KeySize <= 1024, $"KeySize {KeySize} cannot hold {Keys} distinct keys (or is above 1024)");
        Check(ValueSize is >= 1 and <= 65_536, $"ValueSize must be 1–65536, not {ValueSize}");
        Check(LowerElectionTimeoutMs >= 50 && UpperElectionTimeoutMs > LowerElectionTimeoutMs, "election timeouts: lower ≥ 50 ms and upper > lower");
        Check(WalChunkSize is null or (>= 4096 and <= 1 << 30), "WalChunkSize must be 4 KiB–1 GiB");
        Check(ElectionTimeout > TimeSpan.Zero && StopTimeout > TimeSpan.Zero, "ElectionTimeout and StopTimeout must be positive");
    }
}

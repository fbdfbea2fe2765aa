using System.Globalization;
using System.Text;

namespace PaxosLabs.Benchmarks;

/// <summary>Everything one run measured; a figure that did not run stays null.</summary>
internal sealed class Results
{
    public List<ThroughputRow>? Throughput { get; set; }

    public List<BdnRow>? GrpcLatency { get; set; }

    public List<BdnRow>? InMemory { get; set; }

    public List<SimRow>? Simulator { get; set; }

    public List<KvRow>? Kv { get; set; }

    public CrashResult? Crash { get; set; }

    public List<ObjectCount>? ObjectCounts { get; set; }

    public RaftPeerResult? Raft { get; set; }

    public List<DurableStorageResult>? Durable { get; set; }

    public GradeTiming? Grade { get; set; }

    /// <summary>Figures that failed, one line each: the page says so instead of losing the others.</summary>
    public List<string> Failures { get; } = [];
}

/// <summary>Writes docs/performance.md from one run's results.</summary>
internal static class Report
{
    public const double StreamGoal = 0.9;
    public const double SimulatorGoal = 200_000;
    public const double KvGoal = 10_000;
    public const double KvLatencyGoalMs = 1;
    public const double RaftRatioGoal = 1.5;
    public const double GradeGoalSeconds = 90;
    private const string KeptBegin = "<!-- BEGIN KEPT";
    private const string KeptEnd = "<!-- END KEPT -->";

    /// <param name="pageDir">The page's folder: links to figure files are relative to it.</param>
    public static string Render(Results results, Settings settings, Machine machine, string command, string? loadBefore, string? loadAfter, TimeSpan wall, string? previousPage, string pageDir)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');

        Line("# Performance");
        Line();
        Line($"Written by the benchmark suite (`bench/PaxosLabs.Benchmarks`) on {machine.Date:yyyy-MM-dd HH:mm} UTC with:");
        Line();
        Line("```sh");
        Line(command);
        Line("```");
        Line();
        Line("Every number below comes from that run; rerun the command to refresh the page (a section between `BEGIN KEPT` and");
        Line("`END KEPT` markers is carried over unchanged). Mode: " + settings.Mode + ".");
        if (settings.Quick)
        {
            Line();
            Line("> **Smoke run.** `--quick` runs each measurement briefly to prove the suite works; its numbers are noisy and are");
            Line("> not the kit's figures. Take those without `--quick`.");
        }

        Line();
        Line("## Machine");
        Line();
        Line("| | |");
        Line("| --- | --- |");
        Line($"| CPU | {machine.Cpu} |");
        Line($"| cores (logical) | {machine.Cores} |");
        Line($"| memory | {machine.Memory} |");
        Line($"| OS | {machine.Os} |");
        Line($"| .NET | {machine.Runtime} |");
        Line($"| GC | {machine.Gc} |");
        Line($"| date | {machine.Date:yyyy-MM-dd HH:mm} UTC |");
        Line($"| load average (1 / 5 / 15 min), start → end | {loadBefore ?? "n/a"} → {loadAfter ?? "n/a"} |");
        Line($"| wall time of the run | {wall.TotalMinutes:F1} min |");
        Line();
        Line("Client and servers run in one process on this machine, so they share its cores; a load average near or above the");
        Line("core count means other work competed with the run.");
        Line();

        WriteGoals(results, Line);
        WriteThroughput(results, settings, Line);
        WriteLatency(results, settings, Line);
        WriteAllocations(results, Line);
        WriteKv(results, settings, Line);
        RaftReport.Write(results.Raft, Line);
        WritePeerBound(results, Line);
        WriteCrash(results, settings, pageDir, Line);
        WriteSimulator(results, settings, Line);
        WriteGrade(results, Line);
        DurableThroughput.Write(results.Durable, Line);
        if (results.Failures.Count > 0)
        {
            Line("## Figures that failed in this run");
            Line();
            foreach (var failure in results.Failures)
            {
                Line($"- {failure}");
            }

            Line();
        }

        var kept = Kept(previousPage);
        if (kept is not null)
        {
            Line(kept);
            Line();
        }

        return md.ToString().Replace("\n\n\n", "\n\n", StringComparison.Ordinal);
    }

    /// <summary>The kept section of the previous page, markers included, or null.</summary>
    private static string? Kept(string? previousPage)
    {
        if (previousPage is null)
        {
            return null;
        }

        var begin = previousPage.IndexOf(KeptBegin, StringComparison.Ordinal);
        var end = previousPage.IndexOf(KeptEnd, StringComparison.Ordinal);
        return begin < 0 || end < begin ? null : previousPage[begin..(end + KeptEnd.Length)];
    }

    private static void WriteGoals(Results results, Action<string> line)
    {
        line("## Goals");
        line("");
        line("| figure | goal | measured | met? |");
        line("| --- | --- | --- | --- |");
        if (results.Throughput is { } rows)
        {
            var cells = rows.Where(r => r.Contender == Contender.Framework && r.RatioToStream is not null).ToList();
            var met = cells.Count(c => c.RatioToStream!.Value.Median >= StreamGoal);
            var worst = cells.MinBy(c => c.RatioToStream!.Value.Median)!;
            var lowest = worst.RatioToStream!.Value;
            line($"| 1. quorum-call throughput, framework ÷ hand-written stream (closed loop) | ≥ {StreamGoal:F1}× in every cell (n = 3, 5, 9 × 1, 64 in flight) | {met} of {cells.Count} cells; lowest {F(lowest.Median, "F2")}× (n = {worst.Nodes}, {worst.InFlight} in flight; 95 % interval of that median {F(lowest.MedianLow, "F2")}–{F(lowest.MedianHigh, "F2")}) | {YesNo(met == cells.Count)} |");
        }
        else
        {
            line("| 1. quorum-call throughput | ≥ 0.9× the hand-written stream | not run | — |");
        }

        if (results.GrpcLatency is { } latency)
        {
            var ratios = RatiosToStream(latency).ToList();
            line($"| 1. one call in flight (BenchmarkDotNet), framework calls/s ÷ hand-written stream (median iterations) | shown beside the closed loop, not judged: its cases run one after another, each on its own cluster, so they are not paired | {string.Join("; ", ratios.Select(r => $"n = {r.Nodes}: {F(r.Ratio, "F2")}×"))} | — |");
        }

        if (results.Kv is { } kv && kv.Where(r => r.Nodes == 3).ToList() is { Count: > 0 } three)
        {
            var best = three.MaxBy(r => r.CommandsPerSecond.Median)!;
            line($"| 2. key-value store, committed commands/s, 3 replicas over gRPC | ≥ {KvGoal:N0}/s | {F(best.CommandsPerSecond.Median, "N0")}/s (median; {best.Clients} clients, {best.Contender}) | {YesNo(best.CommandsPerSecond.Median >= KvGoal)} |");
            var single = three.Where(r => r.Clients == 1).MinBy(r => r.P50Ms.Median);
            line(single is null
                ? "| 2. key-value store, single-client median latency | ≤ 1 ms | 1 client not run | — |"
                : $"| 2. key-value store, single-client median latency, 3 replicas | ≤ {KvLatencyGoalMs:0} ms | {F(single.P50Ms.Median, "F3")} ms ({single.Contender}) | {YesNo(single.P50Ms.Median <= KvLatencyGoalMs)} |");
        }
        else
        {
            line($"| 2. key-value store, 3 replicas | ≥ {KvGoal:N0} commands/s; single-client median ≤ 1 ms | not run | — |");
        }

        if (results.Raft is { } pairedRaft && pairedRaft.Rows.Any(r => r.Ratio is not null))
        {
            // The store and the peer measured in the same repetitions: the ratio is taken per repetition.
            var paired = pairedRaft.Rows.Where(r => r.Ratio is not null).ToList();
            var judged = paired.Where(r => r.Clients > 1).ToList();
            line($"| 2. key-value store ÷ Raft peer, commands/s at {pairedRaft.Options.Nodes} nodes, paired: both in every repetition ({pairedRaft.PartnerLabel}) | ≥ {RaftRatioGoal:F1}× at 16 and 64 clients (1 client shown) | {string.Join("; ", paired.Select(r => $"{r.Clients}: {F(r.Ratio!.Value.Median, "F2")}× ({F(r.Ratio.Value.Min, "F2")}–{F(r.Ratio.Value.Max, "F2")})"))} | {YesNo(judged.Count > 0 && judged.All(r => r.Ratio!.Value.Median >= RaftRatioGoal))} |");
            if (paired.FirstOrDefault(r => r.Clients == 1) is { PartnerP50Ms: { } ourP50, P50Ratio: { } p50Ratio } one)
            {
                line($"| 2. key-value store, single-client p50 latency ≤ the Raft peer's, paired as above | ≤ {F(one.P50Ms.Median, "F3")} ms (p50 ratio ≤ 1) | {F(ourP50.Median, "F3")} ms; ratio {F(p50Ratio.Median, "F2")} ({F(p50Ratio.Min, "F2")}–{F(p50Ratio.Max, "F2")}) | {YesNo(p50Ratio.Median <= 1)} |");
            }
        }
        else if (results.Kv is { } paxos && results.Raft is { } raft)
        {
            var cells = (from peer in raft.Rows
                         let ours = paxos.Where(r => r.Nodes == peer.Nodes && r.Clients == peer.Clients).MaxBy(r => r.CommandsPerSecond.Median)
                         where ours is not null
                         select (peer.Clients, Ratio: ours.CommandsPerSecond.Median / peer.CommandsPerSecond.Median)).ToList();
            if (cells.Count > 0)
            {
                var judged = cells.Where(c => c.Clients > 1).ToList();
                line($"| 2. key-value store ÷ Raft peer, commands/s at {raft.Options.Nodes} nodes (best Multi-Paxos row per client count) | ≥ {RaftRatioGoal:F1}× at 16 and 64 clients (1 client shown) | {string.Join("; ", cells.Select(c => $"{c.Clients}: {F(c.Ratio, "F2")}×"))} | {YesNo(judged.Count > 0 && judged.All(c => c.Ratio >= RaftRatioGoal))} |");
            }

            var peerSingle = raft.Rows.FirstOrDefault(r => r.Clients == 1);
            var oursSingle = paxos.Where(r => r.Nodes == raft.Options.Nodes && r.Clients == 1).MinBy(r => r.P50Ms.Median);
            if (peerSingle is not null && oursSingle is not null)
            {
                line($"| 2. key-value store, single-client p50 latency ≤ the Raft peer's, {raft.Options.Nodes} nodes (lowest Multi-Paxos row) | ≤ {F(peerSingle.P50Ms.Median, "F3")} ms | {F(oursSingle.P50Ms.Median, "F3")} ms ({oursSingle.Contender}) | {YesNo(oursSingle.P50Ms.Median <= peerSingle.P50Ms.Median)} |");
            }
        }

        if (results.Grade is { } grade)
        {
            line($"| 5. wall time of a full hidden grade of the solutions, build excluded (sum of the stages' test runs) | ≤ {GradeGoalSeconds:0} s | {F(grade.TestSeconds.Median, "F1")} s (median of {grade.Runs}) | {YesNo(grade.TestSeconds.Median <= GradeGoalSeconds)} |");
        }

        if (results.Simulator is { } sim)
        {
            var main = sim[0];
            line($"| 4. simulator, trace events per second (storage workload, default options) | ≥ {SimulatorGoal:N0}/s | {F(main.EventsPerSecond.Median, "N0")}/s (median) | {YesNo(main.EventsPerSecond.Median >= SimulatorGoal)} |");
            line($"| 4. simulator, steps per second (same runs) | ≥ {SimulatorGoal:N0}/s | {F(main.StepsPerSecond.Median, "N0")}/s (median) | {YesNo(main.StepsPerSecond.Median >= SimulatorGoal)} |");
        }
        else
        {
            line("| 4. simulator events per second | ≥ 200,000/s | not run | — |");
        }

        if (results.Durable is { Count: > 0 } durable)
        {
            foreach (var storage in durable)
            {
                if (storage.Raft.Rows.Where(r => r.Ratio is not null).ToList() is { Count: > 0 } paired)
                {
                    line($"| 6. durable store ÷ Raft peer, commands/s, both on {storage.Storage}, paired: both in every repetition ({storage.Raft.PartnerLabel}) | ≥ {RaftRatioGoal:F1}× at every client count | {string.Join("; ", paired.Select(r => $"{r.Clients}: {F(r.Ratio!.Value.Median, "F2")}× ({F(r.Ratio.Value.Min, "F2")}–{F(r.Ratio.Value.Max, "F2")})"))} | {YesNo(paired.All(r => r.Ratio!.Value.Median >= RaftRatioGoal))} |");
                    continue;
                }

                var cells = storage.Paxos.Select(ours => ours.Clients).Distinct().Select(clients => (Clients: clients, Peer: storage.Raft.Row(clients))).Where(c => c.Peer is not null)
                    .Select(c => (c.Clients, Ratio: storage.Paxos.Where(r => r.Clients == c.Clients).Max(r => r.CommandsPerSecond.Median) / c.Peer!.CommandsPerSecond.Median)).ToList();
                line($"| 6. durable store ÷ Raft peer, commands/s, both on {storage.Storage} (best durable row per client count) | ≥ {RaftRatioGoal:F1}× at every client count | {string.Join("; ", cells.Select(c => $"{c.Clients}: {F(c.Ratio, "F2")}×"))} | {YesNo(cells.Count > 0 && cells.All(c => c.Ratio >= RaftRatioGoal))} |");
            }
        }

        line("| allocations per quorum call | measured, no goal | see below | — |");
        line("");
    }

    private static void WriteThroughput(Results results, Settings settings, Action<string> line)
    {
        if (results.Throughput is not { } rows)
        {
            return;
        }

        line("## Figure 1: quorum-call throughput and latency, closed loop");
        line("");
        line("A Read of the storage register from a majority of n servers on 127.0.0.1, three ways, against the same");
        line("`StorageServer` objects (each served by a `GorumsGrpcHost` and by a plain gRPC host configured the same way):");
        line("");
        line("- **framework quorum call**: `StorageConfiguration.ReadAsync` (generated) with `StorageQSpec`, over `GrpcTransport`");
        line("  (one stream per node, envelopes, the pending-call table, the quorum function after every reply). Each stream's");
        line("  writer sends the envelopes it finds queued as one gRPC message (a batch; never waiting for more), and a server's");
        line("  read loop writes the replies of a batch it has handled as one batch.");
        line("- **hand-written stream fan-out**: one duplex gRPC stream per server (`benchraw.proto`), one writer task per stream");
        line("  draining an unbounded channel, one reader per stream, one concurrent table of pending reads keyed by a sequence");
        line("  number; a read completes at n/2+1 replies with the freshest state; one gRPC message per request and per reply, as");
        line("  a first hand-written version would do. No deadlines, cancellation, failure accounting, metrics or per-node errors.");
        line("  At 64 calls in flight the framework's lead over it is the batching: without batches (before commit `88f6282`) the");
        line("  framework did 0.8–0.9× this baseline at n = 3.");
        line("- **unary fan-out**: n unary gRPC calls per read, done at n/2+1 replies.");
        line("");
        var repetitions = settings.RepetitionsAt(64);
        var repetitionsAtOne = settings.RepetitionsAt(1);
        line($"Each cell: {WarmUp(settings)} then {repetitions} repetitions of a {settings.RunDuration.TotalSeconds:0.#} s closed loop");
        line("(k workers, each issuing its next call when the previous one completes), the contenders interleaved within each");
        line("repetition, in a different order each time (every order once: each contender runs in every position and after every");
        line("other equally often). Shown: median over the repetitions (min–max). Latencies are per call, over every call of a repetition.");
        if (repetitionsAtOne > repetitions)
        {
            line($"With one call in flight there are {repetitionsAtOne} repetitions of {settings.RunDurationAt(1).TotalSeconds:0.##} s (every order {repetitionsAtOne / repetitions} times): a repetition's rate is then one");
            line("call's latency, which swings with where a few threads land on the two cores, from one run of a few seconds to the");
            line("next; many short repetitions give more pairs, each closer in time, for the same time in all. At 64 in flight the");
            line("repetitions differ by a few percent.");
        }

        line("The ratio is framework ÷ hand-written stream calls/s, taken within each repetition; its column shows the median, then");
        line("a 95 % interval for that median (the repetitions' ratios of ranks n/2 ∓ 0.98·√n, which assumes nothing about their");
        line("distribution), then min–max. The goal is judged on the median. CPU and bytes are per call for the");
        line("whole process (client and servers: the processor time of all its threads, the bytes its threads allocated): what a");
        line("call costs, which varies less with the machine's other load than calls/s does.");
        line("");
        line("| n | in flight | contender | calls/s | p50 latency (ms) | p99 latency (ms) | CPU (µs/call) | allocated (B/call) | ÷ stream |");
        line("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            var ratio = r.RatioToStream is { } x ? $"{F(x.Median, "F2")}× ({F(x.MedianLow, "F2")}–{F(x.MedianHigh, "F2")}; {F(x.Min, "F2")}–{F(x.Max, "F2")})" : "";
            line($"| {r.Nodes} | {r.InFlight} | {Readers.Label(r.Contender)} | {S(r.CallsPerSecond, "N0")} | {S(r.P50Ms, "F3")} | {S(r.P99Ms, "F3")} | {F(r.CpuUsPerCall.Median, "F1")} | {F(r.BytesPerCall.Median, "N0")} | {ratio} |");
        }

        line("");
    }

    /// <summary>
    /// Why the kit's store cannot reach a multiple of the Raft peer on this machine: by protocol §4.5
    /// every command is a quorum call from the client to all replicas, so figure 1's framework rate at the
    /// same size and load bounds the store's commands/s before any Paxos work is done.
    /// </summary>
    private static void WritePeerBound(Results results, Action<string> line)
    {
        if (results.Raft is not { } raft || raft.Row(64) is not { } peer)
        {
            return;
        }

        var bound = results.Throughput?.FirstOrDefault(r => r.Nodes == raft.Options.Nodes && r.InFlight == 64 && r.Contender == Contender.Framework);
        line("### What each system sends per command");
        line("");
        line("The two systems do not always send the same messages per command. With the kit's default clients (protocol §4.5,");
        line("`ClientHandleQF`) a client sends each request to **every** replica and waits for a quorum of their responses; every");
        line("replica executes the command and answers; a follower also forwards the request to the leader it trusts. Per command at");
        line("3 replicas and without batching, that is about 14 messages (3 requests, 2 forwards, 2 accepts, 2 learns, 2 commits,");
        line("3 responses), of which the leader's accept and learn to itself stay in the process (it learns its own decisions at once, so its commit skips itself).");
        line("The leader's accept goes to a majority only, itself and one follower, and to the other follower only when that one does");
        line($"not answer within {new MultiPaxos.ReplicaOptions().AcceptOthersAfter?.TotalMilliseconds:0} ms (thrifty phase 2, protocol §4.4); the other follower learns the slot from its commit. A *leader-direct* client,");
        line("like the Raft peer's, talks to the leader only: 1 request, 1 accept, 1 learn, 2 commits and 1 response cross the");
        line("network, against 6 messages for Raft (1 request, 2 appends, 2 acknowledgements, 1 reply; the commit index rides on the");
        line($"next append). The kit's commit too waits for the next message to its replica and shares its write (to the follower the accepts leave out, at most {new Gorums.Grpc.GrpcTransportOptions().DeferredSendLinger.TotalMilliseconds:0} ms), unless another");
        line("replica forwarded a request lately (it answers a client too, so it needs the commit now; protocol §4.4). Batching shares the accepts, learns and commits among up to 32 commands, but not the client's request and");
        line("response. Each value crosses the network more often in the kit, though: an accept carries it to a follower and the");
        line("commit carries it again (a learn that confirms its accept leaves the value off; the leader puts it back before its");
        line("quorum function checks it, protocol §4.4).");
        line("");
        WriteOneClientFloor(results, raft, line);
        if (bound is not null)
        {
            var needed = RaftRatioGoal * Math.Round(peer.CommandsPerSecond.Median); // of the figure as printed
            line($"A default client's part alone is a figure-1 quorum call at n = {raft.Options.Nodes}: in this run the framework did {F(bound.CallsPerSecond.Median, "N0")} such calls/s at 64");
            line($"in flight with a handler that does nothing, while the peer committed {F(peer.CommandsPerSecond.Median, "N0")} puts/s with 64 clients; {RaftRatioGoal:F1}× the peer would be");
            line($"{F(needed, "N0")} commands/s. On this 2-core machine, where clients and replicas share the cores, the quorum-call rate bounds the");
            line(bound.CallsPerSecond.Median < needed
                ? $"kit's commands/s before any Paxos work is done, and it is below {F(needed, "N0")}: the goal cannot be met with the client protocol that docs/protocol.md prescribes. The protocol decides; the comparison is reported as measured."
                : "kit's commands/s before any Paxos work is done; here it does not rule the goal out, so the gap is the replicas' own work.");
        }
        else
        {
            line($"Figure 1's framework rate at n = {raft.Options.Nodes} and 64 calls in flight (not run this time) bounds the kit's commands/s before any");
            line("Paxos work; run `-- throughput,kv,raft` to see the bound beside the peer.");
        }

        line("");
    }

    /// <summary>
    /// What one client's command costs at least: the client's call to the leader and the leader's accept to
    /// the followers are two round trips on gRPC streams, one after the other, and figure 1 measures one.
    /// </summary>
    internal static void WriteOneClientFloor(Results results, RaftPeerResult raft, Action<string> line)
    {
        var trip = results.Throughput?.FirstOrDefault(r => r.Nodes == raft.Options.Nodes && r.InFlight == 1 && r.Contender == Contender.HandWrittenStream);
        if (trip is null || raft.Row(1) is not { } peer || peer.PartnerP50Ms is not { } store)
        {
            return;
        }

        var floor = 2 * trip.P50Ms.Median;
        line("#### One client: two gRPC round trips");
        line("");
        line("With one client, a command is two round trips one after the other: the client's call to the leader, and the leader's");
        line($"accept to the next follower, whose answer with the leader's own vote is a quorum of {raft.Options.Nodes} (thrifty phase 2). Both travel on");
        line("gRPC streams over HTTP/2, the only network transport of the kit's design. Figure 1 measures one such round trip: a");
        line($"hand-written gRPC stream to {trip.Nodes} servers, waiting for 2 and doing nothing else, took {F(trip.P50Ms.Median, "F3")} ms at p50 in this run, so two take");
        line($"about {F(floor, "F3")} ms. The store's p50 was {F(store.Median, "F3")} ms and the peer's {F(peer.P50Ms.Median, "F3")} ms: the peer's client call is HTTP/2 too, but it");
        line("replicates over its own TCP protocol, whose round trip costs less than an HTTP/2 one on this machine.");
        line(floor > peer.P50Ms.Median
            ? "Two gRPC round trips alone take longer than the peer's whole command, so the p50 goal cannot be met without a transport other than gRPC between the replicas."
            : $"Two gRPC round trips alone take no longer than the peer's whole command here, so the goal is not ruled out by the transport; the difference, {F(store.Median - floor, "F3")} ms, is the replicas' own work per command.");
        line("(Figure 1 runs minutes before figure 2, on a machine whose speed drifts by 10–20 %.)");
        line("");
    }

    private static void WriteLatency(Results results, Settings settings, Action<string> line)
    {
        if (results.GrpcLatency is not { } rows)
        {
            return;
        }

        var ratios = RatiosToStream(rows).ToDictionary(r => r.Nodes);
        line("## Figure 1, one call in flight: latency per call (BenchmarkDotNet)");
        line("");
        line("The same three contenders, one read at a time (BenchmarkDotNet, in-process toolchain, `[MemoryDiagnoser]`), each");
        line($"read awaited as a program awaits its calls: an invocation awaits {GrpcQuorumCall.ReadsPerInvoke} reads in turn, so BenchmarkDotNet's thread blocks once");
        line("per invocation, not per read (a thread blocked on every read adds a wake-up to each, and favours a result completed");
        line("straight from a stream's reader, the hand-written stream's, over one computed in an awaiting method, the framework's).");
        line("Time per call: mean ± standard deviation and median over the measured iterations (each iteration averages many");
        line("calls). Calls/s = 1 / median: an iteration that a burst of the machine's other work slowed moves the mean (standard");
        line("deviations up to a fifth of the mean in earlier runs), not the median. The ratio is framework ÷ hand-written stream");
        line("calls/s from the medians; the ratio of the means is shown beside it. Allocated: bytes per call in the whole process");
        line("(client and the n servers).");
        line($"Each case has its own cluster and, before BenchmarkDotNet's warm-up, {WarmUp(settings).TrimEnd(',')} as in the closed loop.");
        line("The cases run one after another, so nothing pairs the framework's iterations with the stream's: a case whose threads");
        line("land badly for its whole run is compared with one whose threads did not. The ratio is shown, not judged; the goal is");
        line("judged on the closed loop above, whose contenders alternate within each repetition.");
        line("");
        line("| n | contender | mean (µs) | ± std dev | median (µs) | min–max (µs) | calls/s | allocated (B/call) | ÷ stream |");
        line("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows.OrderBy(r => r.Nodes).ThenBy(r => Order(r.Method)))
        {
            var ratio = r.Method == nameof(GrpcQuorumCall.Framework) && ratios.TryGetValue(r.Nodes, out var x) ? $"{F(x.Ratio, "F2")}× (means: {F(x.MeanRatio, "F2")}×)" : "";
            line($"| {r.Nodes} | {Readers.Label(Enum.Parse<Contender>(r.Method))} | {F(r.MeanNs / 1000, "F1")} | {F(r.StdDevNs / 1000, "F1")} | {F(r.MedianNs / 1000, "F1")} | {F(r.MinNs / 1000, "F1")}–{F(r.MaxNs / 1000, "F1")} | {F(1e9 / r.MedianNs, "N0")} | {Bytes(r.BytesPerOp)} | {ratio} |");
        }

        line("");
    }

    private static void WriteAllocations(Results results, Action<string> line)
    {
        if (results.InMemory is null && results.GrpcLatency is null)
        {
            return;
        }

        line("## Allocations on the quorum-call hot path");
        line("");
        line("Bytes allocated per quorum call (BenchmarkDotNet `[MemoryDiagnoser]`, which counts every thread of the process: the");
        line("client and the n servers). Over the in-memory transport the bytes are the framework's own (client, `GorumsServer`");
        line("sessions, the generated API, the storage example's quorum functions and handlers); over gRPC they include Kestrel");
        line("and Grpc.Net.Client.");
        line("");
        if (results.InMemory is { } mem)
        {
            line("In-memory transport (no delivery scheduler). Objects per call are approximate: .NET has no exact object counter,");
            line("so they are summed from the runtime's sampled allocation events (`GCSampledObjectAllocationHigh`) in a child");
            line("process started with those events on (`-- alloc-profile read 3` lists them by type); the same runs' exact bytes per");
            line("call are shown beside them as a check (the sampled bytes run a few percent below the exact ones, and so, likely, do");
            line("the object counts).");
            line("");
            line("| n | call | mean (µs) | allocated (B/call) | B/call per node | ≈ objects/call | exact B/call in that run |");
            line("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in mem.OrderBy(r => r.Method).ThenBy(r => r.Nodes))
            {
                var count = results.ObjectCounts?.FirstOrDefault(c => c.Nodes == r.Nodes && string.Equals(c.Call, r.Method, StringComparison.OrdinalIgnoreCase));
                var objects = count is null ? "n/a" : F(count.ObjectsPerCall, "F0");
                var exact = count is null ? "n/a" : F(count.ExactBytesPerCall, "N0");
                line($"| {r.Nodes} | {r.Method} | {F(r.MeanNs / 1000, "F2")} | {Bytes(r.BytesPerOp)} | {(r.BytesPerOp is { } b ? F((double)b / r.Nodes, "N0") : "n/a")} | {objects} | {exact} |");
            }

            line("");
        }

        if (results.GrpcLatency is { } grpc)
        {
            line("gRPC on 127.0.0.1, one Read in flight (the runs of the latency table above):");
            line("");
            line("| n | framework (B/call) | hand-written stream (B/call) | unary fan-out (B/call) |");
            line("| ---: | ---: | ---: | ---: |");
            foreach (var g in grpc.GroupBy(r => r.Nodes).OrderBy(g => g.Key))
            {
                string Of(string method) => Bytes(g.FirstOrDefault(r => r.Method == method)?.BytesPerOp);
                line($"| {g.Key} | {Of(nameof(GrpcQuorumCall.Framework))} | {Of(nameof(GrpcQuorumCall.HandWrittenStream))} | {Of(nameof(GrpcQuorumCall.UnaryFanout))} |");
            }

            line("");
        }
    }

    private static void WriteKv(Results results, Settings settings, Action<string> line)
    {
        if (results.Kv is not { } rows)
        {
            return;
        }

        line("## Figure 2: Multi-Paxos key-value store, committed commands per second");
        line("");
        line("n replicas of the kit's store (`solutions/PaxosLabs.MultiPaxos`) in this process, each with its own gRPC transport,");
        line($"failure and leader detectors (delta {KvCluster.Delta.TotalMilliseconds:0} ms) and Kestrel host on 127.0.0.1, default `ReplicaOptions` but for `MaxBatch`");
        line($"and `Alpha` as each row says (the defaults are MaxBatch {new MultiPaxos.ReplicaOptions().MaxBatch}, Alpha {new MultiPaxos.ReplicaOptions().Alpha}). k clients (`KvClient`) each put their next value when the previous Put is");
        line("acknowledged; every acknowledged Put is a committed command. By default a client sends each request to every replica (a");
        line("`ClientHandle` quorum call, answered by a quorum once the command is decided and executed there); rows marked");
        line("*leader-direct clients* send it to the replica the previous answer named as leader, done at its one answer (protocol §4.5).");
        line("A replica's messages to itself (its own accept and commit) stay in the process (`ITransport.ServeLocally`).");
        line("With batching on, a fresh slot carries the values that queued while Alpha slots were in flight");
        line($"(never waiting for more); with Alpha {KvThroughput.SmallAlpha} values queue more often, so slots carry bigger batches. The contenders run side by side, interleaved within each repetition: a");
        line($"{WarmUp(settings)} then {settings.Repetitions} repetitions of {settings.RunDuration.TotalSeconds:0.#} s, each in a different order. Shown: median over the repetitions (min–max); latencies");
        line("are per command over every command of a repetition. Where the time goes, per command, for the whole process (clients,");
        line("replicas and hosts, median over the repetitions): the processor time of all its threads, the bytes they allocated, and");
        line("the thread-pool work items run (each a hand-over between threads: a stream's reader or writer, a server's handler, a");
        line("continuation; with two cores, most of the processor time not in Paxos itself goes to these hand-overs and to the garbage");
        line("collector).");
        line("");
        line("| replicas | clients | contender | commands/s | p50 latency (ms) | p90 latency (ms) | p99 latency (ms) | CPU (µs/cmd) | allocated (B/cmd) | work items/cmd |");
        line("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            line($"| {r.Nodes} | {r.Clients} | {r.Contender} | {S(r.CommandsPerSecond, "N0")} | {S(r.P50Ms, "F3")} | {S(r.P90Ms, "F3")} | {S(r.P99Ms, "F3")} | {F(r.CpuUs, "F1")} | {F(r.Bytes, "N0")} | {F(r.WorkItems, "F1")} |");
        }

        line("");
    }

    private static void WriteCrash(Results results, Settings settings, string pageDir, Action<string> line)
    {
        if (results.Crash is not { } crash)
        {
            return;
        }

        line("## Figure 3: throughput across a leader crash");
        line("");
        line($"{LeaderCrash.Nodes} replicas as in figure 2 (batching at its default), {LeaderCrash.Clients} clients writing for {settings.CrashDuration.TotalSeconds:0} s; at {settings.CrashAt.TotalSeconds:0} s the leader's replica is");
        line("killed (crash-stop: its host, detectors and replica are disposed, so peers and clients see their streams break).");
        line("The survivors' detectors suspect it, elect the next leader, which runs phase 1 from adu + 1, re-proposes and takes the");
        line($"requests the others forward. Commands completed per {LeaderCrash.Bucket.TotalMilliseconds:0} ms bucket, as commands/s; the new leader's first commit is the");
        line($"first growth of its adu after its phase 1 (polled every few ms). {settings.CrashRepetitions} run(s): median (min–max); the plot shows the median run.");
        line("");
        var link = Path.GetRelativePath(pageDir, crash.SvgPath).Replace('\\', '/');
        line($"![commands per second over time; the leader is killed and a new leader takes over]({link})");
        line("");
        line("| throughput before the crash (commands/s) | crash → new leader's first commit (ms) | longest pause in client completions (ms) | throughput after (commands/s) |");
        line("| ---: | ---: | ---: | ---: |");
        line($"| {S(crash.Before, "N0")} | {S(crash.Gap, "N0")} | {S(crash.Pause, "N0")} | {S(crash.After, "N0")} |");
        line("");
        line("Before: median bucket from 0.5 s to the crash; after: median bucket from 0.5 s after the first commit to the end, with");
        line("two replicas left (every quorum now needs both, and the process has one replica less to run).");
        line("");
    }

    private static void WriteSimulator(Results results, Settings settings, Action<string> line)
    {
        if (results.Simulator is not { } rows)
        {
            return;
        }

        line("## Figure 4: simulator events per second");
        line("");
        line($"The storage world of the simulator's tests: three `StorageServer` nodes and a client node, reliable network with");
        line($"1–5 ms virtual delays, seed 42; the client writes timestamps 1..{settings.SimWrites:N0} one after another, then reads.");
        line($"Only `Simulator.RunUntil` is timed. A step is one continuation, timer, delivery or scripted action; a trace event is");
        line($"one entry of `Simulator.Trace` (sends, deliveries, invocations, …). One warm-up run, then {settings.SimRepetitions} runs: median (min–max).");
        line("Every run of a row has the same steps and events (same seed): the suite checks it.");
        line("");
        line("| workload | steps | trace events | steps/s | trace events/s | seconds per run |");
        line("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            line($"| {r.Workload} | {r.Steps:N0} | {r.TraceEvents:N0} | {S(r.StepsPerSecond, "N0")} | {S(r.EventsPerSecond, "N0")} | {S(r.Seconds, "F3")} |");
        }

        line("");
    }

    private static void WriteGrade(Results results, Action<string> line)
    {
        if (results.Grade is not { } grade)
        {
            return;
        }

        line("## Figure 5: wall time of a full hidden grade");
        line("");
        line("`dotnet run --project grader/PaxosLabs.Grader --no-build -- grade solutions`, as a TA runs it, after the hidden tests were");
        line("built (so the grader's own build step finds nothing to do). Each stage's time is the wall time of its `dotnet test` runs,");
        line($"as the grader records it in score.json; \"command\" includes the no-op build, reading the manifest and the reports. {grade.Runs} run(s):");
        line($"median (min–max). Score of the runs: {grade.Score}.");
        line("");
        line("| stage | seconds |");
        line("| --- | ---: |");
        foreach (var (stage, seconds) in grade.Stages.OrderBy(s => s.Key))
        {
            line($"| {stage} | {S(seconds, "F1")} |");
        }

        line($"| all four (build excluded) | {S(grade.TestSeconds, "F1")} |");
        line($"| the whole command | {S(grade.CommandSeconds, "F1")} |");
        line("");
    }

    /// <summary>Framework ÷ stream calls/s per n, from the median iterations (the goal's figure) and from the means.</summary>
    private static IEnumerable<(int Nodes, double Ratio, double MeanRatio)> RatiosToStream(List<BdnRow> rows) =>
        from g in rows.GroupBy(r => r.Nodes)
        let fw = g.FirstOrDefault(r => r.Method == nameof(GrpcQuorumCall.Framework))
        let st = g.FirstOrDefault(r => r.Method == nameof(GrpcQuorumCall.HandWrittenStream))
        where fw is not null && st is not null
        orderby g.Key
        select (g.Key, st.MedianNs / fw.MedianNs, st.MeanNs / fw.MeanNs);

    private static int Order(string method) => (int)Enum.Parse<Contender>(method);

    private static string YesNo(bool met) => met ? "**yes**" : "**no**";

    private static string Bytes(long? bytes) => bytes is { } b ? b.ToString("N0", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>How each contender is warmed up (<see cref="ClosedLoop.WarmUpAsync"/>), as a sentence ending in a comma.</summary>
    private static string WarmUp(Settings settings) =>
        $"a warm-up per contender in {settings.WarmupSlice.TotalSeconds:0.#} s slices until its rate stops rising (no slice more than 5 % above the best before it; at least {settings.Warmup.TotalSeconds:0.#} s, at most {settings.WarmupLimit.TotalSeconds:0.#} s),";

    private static string S(Spread s, string format) => $"{F(s.Median, format)} ({F(s.Min, format)}–{F(s.Max, format)})";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

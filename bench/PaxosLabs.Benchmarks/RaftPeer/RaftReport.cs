using System.Globalization;

namespace PaxosLabs.Benchmarks;

/// <summary>The Raft peer's console table and its section of the results page (kept here so Report.cs only calls it).</summary>
internal static class RaftReport
{
    public static void PrintTable(RaftPeerResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Console.WriteLine($"  {"n",2} {"clients",7} {"commands/s",12} {"p50 ms",9} {"p90 ms",9} {"p99 ms",9} {"retries",7} {"store ÷ peer",12}");
        foreach (var r in result.Rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.Nodes,2} {r.Clients,7} {r.CommandsPerSecond.Median,12:N0} {r.P50Ms.Median,9:F3} {r.P90Ms.Median,9:F3} {r.P99Ms.Median,9:F3} {r.Retries,7} {(r.Ratio is { } ratio ? ratio.Median.ToString("F2", CultureInfo.InvariantCulture) + "×" : "—"),12}"));
        }

        Console.WriteLine($"  replicas: {result.ReplicaCheck}");
    }

    public static void Write(RaftPeerResult? result, Action<string> line)
    {
        if (result is null)
        {
            return;
        }

        var o = result.Options;
        line($"## Figure 2, peer: a {o.Nodes}-node Raft cluster (DotNext) doing the same writes");
        line("");
        line($"Puts of {o.KeySize}-byte keys (uniform over {o.Keys:N0} keys) and {o.ValueSize}-byte values, each with a client id and sequence number,");
        line($"to an in-process DotNext Raft cluster on 127.0.0.1 (`bench/PaxosLabs.Benchmarks/RaftPeer`; README there says why it is a fair peer).");
        line("k clients in a closed loop send a put to the leader and the next one when it is acknowledged; the leader acknowledges");
        line("when `ReplicateAsync` returns: the entry is committed by a majority and applied to its store. Configuration (DotNext's");
        line("settings as the nodes report them):");
        line("");
        foreach (var c in result.Configuration)
        {
            line($"- {c}");
        }

        line("");
        line($"Each client count: a {o.Warmup.TotalSeconds:0.#} s warm-up, then {o.Repetitions} repetitions of {o.RunDuration.TotalSeconds:0.#} s; median (min–max).");
        line("Latencies are per put, over every put of a repetition. Retries: puts sent again after a leader change.");
        var paired = result.PartnerLabel is not null;
        if (paired)
        {
            line($"Beside the peer, in every repetition, the store ({result.PartnerLabel}; figure 2's fastest contender, its own 3");
            line("replicas in the same process) runs for as long, one after the other and the peer first in every other repetition: the");
            line("two see the same phase of a machine whose speed drifts by 10–20 % from one minute to the next, and the ratio store ÷");
            line("peer is taken per repetition (median, min–max), which is what the goals judge.");
        }

        line("");
        line(paired
            ? "| n | clients | commands/s | p50 latency (ms) | p90 latency (ms) | p99 latency (ms) | puts | retries | store commands/s, same repetitions | store ÷ peer | store p50 (ms) | p50 store ÷ peer |"
            : "| n | clients | commands/s | p50 latency (ms) | p90 latency (ms) | p99 latency (ms) | puts | retries |");
        line(paired ? "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" : "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in result.Rows)
        {
            var store = paired && r.PartnerCommandsPerSecond is { } c && r.Ratio is { } ratio && r.PartnerP50Ms is { } p50 && r.P50Ratio is { } p50Ratio
                ? $" {S(c, "N0")} | {S(ratio, "F2")} | {S(p50, "F3")} | {S(p50Ratio, "F2")} |"
                : paired ? " | | | |" : "";
            line($"| {r.Nodes} | {r.Clients} | {S(r.CommandsPerSecond, "N0")} | {S(r.P50Ms, "F3")} | {S(r.P90Ms, "F3")} | {S(r.P99Ms, "F3")} | {r.Commands.ToString("N0", CultureInfo.InvariantCulture)} | {r.Retries} |{store}");
        }

        line("");
        line($"Replica check after the runs: {result.ReplicaCheck}.");
        line("");
    }

    private static string S(Spread s, string format) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Median.ToString(format, CultureInfo.InvariantCulture)} ({s.Min.ToString(format, CultureInfo.InvariantCulture)}–{s.Max.ToString(format, CultureInfo.InvariantCulture)})");
}

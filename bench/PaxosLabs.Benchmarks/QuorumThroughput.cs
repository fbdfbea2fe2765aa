namespace PaxosLabs.Benchmarks;

/// <summary>One cell of the throughput table: a contender at n servers and k calls in flight.</summary>
internal sealed record ThroughputRow(int Nodes, int InFlight, Contender Contender, Spread CallsPerSecond, Spread P50Ms, Spread P99Ms, Spread CpuUsPerCall, Spread BytesPerCall, long Calls, Spread? RatioToStream);

/// <summary>
/// Figure 1 (throughput): closed loops against n servers for every contender, interleaved: each
/// repetition runs every contender once, in a different order each time, so a change in the
/// machine's load hits all of them alike. The ratio framework / hand-written stream is taken
/// within each repetition.
/// </summary>
internal static class QuorumThroughput
{
    public static async Task<List<ThroughputRow>> RunAsync(Settings settings)
    {
        var rows = new List<ThroughputRow>();
        var contenders = Enum.GetValues<Contender>();
        foreach (var n in settings.Sizes)
        {
            await using var cluster = await Cluster.StartAsync(n);
            var readers = new Dictionary<Contender, IQuorumReader>();
            try
            {
                foreach (var c in contenders)
                {
                    readers[c] = await Readers.ConnectAsync(c, cluster);
                }

                foreach (var inFlight in settings.InFlight)
                {
                    foreach (var c in contenders)
                    {
                        var warm = await ClosedLoop.WarmUpAsync([.. Enumerable.Repeat<Func<Task>>(readers[c].ReadAsync, inFlight)], settings);
                        Console.WriteLine($"  n={n} in-flight={inFlight} {Readers.Label(c)}: {warm}");
                    }

                    var runs = contenders.ToDictionary(c => c, _ => new List<LoopRun>());
                    var repetitions = settings.RepetitionsAt(inFlight);
                    for (var rep = 0; rep < repetitions; rep++)
                    {
                        foreach (var c in ClosedLoop.Order(contenders, rep))
                        {
                            GC.Collect();
                            GC.WaitForPendingFinalizers();
                            var run = await ClosedLoop.RunAsync(readers[c].ReadAsync, inFlight, settings.RunDurationAt(inFlight));
                            runs[c].Add(run);
                            Console.WriteLine($"  n={n} in-flight={inFlight} rep {rep + 1}/{repetitions} {Readers.Label(c)}: {run.CallsPerSecond:F0} calls/s, p50 {run.P50Ms:F3} ms, p99 {run.P99Ms:F3} ms, {run.CpuUsPerCall:F1} µs CPU/call, {run.BytesPerCall:F0} B/call, {run.WorkItemsPerCall:F1} thread-pool work items/call");
                        }
                    }

                    var stream = runs[Contender.HandWrittenStream];
                    foreach (var c in contenders)
                    {
                        var r = runs[c];
                        Spread? ratio = c == Contender.Framework
                            ? Spread.Of(r.Zip(stream, (a, b) => a.CallsPerSecond / b.CallsPerSecond))
                            : null;
                        rows.Add(new ThroughputRow(n, inFlight, c,
                            Spread.Of(r.Select(x => x.CallsPerSecond)),
                            Spread.Of(r.Select(x => x.P50Ms)),
                            Spread.Of(r.Select(x => x.P99Ms)),
                            Spread.Of(r.Select(x => x.CpuUsPerCall)),
                            Spread.Of(r.Select(x => x.BytesPerCall)),
                            r.Sum(x => x.Calls),
                            ratio));
                    }
                }
            }
            finally
            {
                foreach (var reader in readers.Values)
                {
                    await reader.DisposeAsync();
                }
            }
        }

        return rows;
    }
}

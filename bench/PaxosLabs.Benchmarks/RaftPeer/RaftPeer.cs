using System.Diagnostics;
using System.Globalization;

namespace PaxosLabs.Benchmarks;

/// <summary>
/// Issue 10, figure 2's peer: a DotNext Raft cluster (<see cref="RaftKvCluster"/>) doing the same
/// puts as the kit's Multi-Paxos key-value store, under a closed loop of k clients against the
/// leader. A put counts when DotNext's <c>ReplicateAsync</c> returns: the entry is in the leader's
/// WAL, a majority has it, it is committed and the leader's state machine has applied it.
/// </summary>
internal static class RaftPeer
{
    /// <summary>How often one put may be sent again after a leader change before the run fails.</summary>
    private const int MaxRetriesPerPut = 50;

    /// <summary>
    /// For each client count: starts an <c>options.Nodes</c>-node cluster, runs a warm-up loop and
    /// <c>options.Repetitions</c> timed loops, checks the replicas, then stops the cluster and deletes
    /// its folders. A fresh cluster per client count keeps each write-ahead log small: DotNext keeps
    /// one open file per metadata page of its log and takes no snapshots here, so one cluster for
    /// all three counts (about 1.5 million puts per node in a full run) ran out of the process's
    /// file descriptors (20,000 on the machine of the results page) during the 64-client runs.
    /// </summary>
    public static async Task<RaftPeerResult> RunAsync(RaftPeerOptions options, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var runs = new List<RaftPeerRun>();
        var checks = new List<string>();
        var clientIds = new ClientIds();
        IReadOnlyList<string> configuration = [];
        foreach (var clients in options.Clients)
        {
            long acknowledged = 0;
            await using var cluster = await RaftKvCluster.StartAsync(options, token).ConfigureAwait(false);
            await cluster.WaitForLeaderAsync(token).ConfigureAwait(false);
            configuration = cluster.Configuration;
            var partner = options.Partner is { } store ? Enumerable.Range(0, clients).Select(store.Writer).ToList() : null;
            if (options.Warmup > TimeSpan.Zero)
            {
                var warm = await RunLoopAsync(cluster, options, clients, options.Warmup, clientIds, token).ConfigureAwait(false);
                acknowledged += warm.Commands;
                if (partner is not null)
                {
                    await ClosedLoop.RunAsync(partner, options.Warmup).ConfigureAwait(false);
                }
            }

            for (var rep = 0; rep < options.Repetitions; rep++)
            {
                // With a partner, the two take turns, the peer first in every other repetition.
                LoopRun? partnerRun = null;
                if (partner is not null && rep % 2 == 1)
                {
                    partnerRun = await RunPartnerAsync(partner, options).ConfigureAwait(false);
                }

                GC.Collect();
                GC.WaitForPendingFinalizers();
                var run = await RunLoopAsync(cluster, options, clients, options.RunDuration, clientIds, token).ConfigureAwait(false);
                acknowledged += run.Commands;
                if (partner is not null && rep % 2 == 0)
                {
                    partnerRun = await RunPartnerAsync(partner, options).ConfigureAwait(false);
                }

                run = run with { Repetition = rep + 1, Partner = partnerRun };
                runs.Add(run);
                var beside = partnerRun is null ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"; store in the same repetition: {partnerRun.CallsPerSecond:F0} commands/s, p50 {partnerRun.P50Ms:F3} ms, {partnerRun.CallsPerSecond / run.CommandsPerSecond:F2}×");
                options.Progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"  raft n={options.Nodes} clients={clients} rep {rep + 1}/{options.Repetitions}: {run.CommandsPerSecond:F0} commands/s, p50 {run.P50Ms:F3} ms, p90 {run.P90Ms:F3} ms, p99 {run.P99Ms:F3} ms{(run.Retries > 0 ? $", {run.Retries} retries" : "")}{beside}"));
            }

            var check = await cluster.CheckReplicasAsync(acknowledged, token).ConfigureAwait(false);
            options.Progress?.Invoke($"  raft replica check ({clients} client{(clients == 1 ? "" : "s")}): {check}");
            checks.Add($"{clients} client{(clients == 1 ? "" : "s")}: {check}");
        }

        return new RaftPeerResult(options, runs, Rows(options.Nodes, runs), configuration, string.Join("; ", checks)) { PartnerLabel = options.Partner?.Label };
    }

    /// <summary>A row per client count: the medians (min–max) of the repetitions, and with a partner, its measures and the ratios taken per repetition.</summary>
    internal static List<RaftPeerRow> Rows(int nodes, IReadOnlyList<RaftPeerRun> runs) =>
        [.. runs.GroupBy(r => r.Clients).Select(g => new RaftPeerRow(
            nodes,
            g.Key,
            Spread.Of(g.Select(r => r.CommandsPerSecond)),
            Spread.Of(g.Select(r => r.P50Ms)),
            Spread.Of(g.Select(r => r.P90Ms)),
            Spread.Of(g.Select(r => r.P99Ms)),
            g.Sum(r => r.Commands),
            g.Sum(r => r.Retries))
        {
            PartnerCommandsPerSecond = PartnerSpread(g, (run, partner) => partner.CallsPerSecond),
            PartnerP50Ms = PartnerSpread(g, (run, partner) => partner.P50Ms),
            Ratio = PartnerSpread(g, (run, partner) => partner.CallsPerSecond / run.CommandsPerSecond),
            P50Ratio = PartnerSpread(g, (run, partner) => partner.P50Ms / run.P50Ms),
        })];

    /// <summary>A measure of the partner's runs (or of each repetition's pair), when a partner ran.</summary>
    private static Spread? PartnerSpread(IEnumerable<RaftPeerRun> runs, Func<RaftPeerRun, LoopRun, double> measure)
    {
        var values = runs.Where(r => r.Partner is not null).Select(r => measure(r, r.Partner!)).ToList();
        return values.Count == 0 ? null : Spread.Of(values);
    }

    private static async Task<LoopRun> RunPartnerAsync(List<Func<Task>> partner, RaftPeerOptions options)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return await ClosedLoop.RunAsync(partner, options.RunDuration).ConfigureAwait(false);
    }

    /// <summary>
    /// k workers, each putting and awaiting the commit before its next put, until the duration has
    /// passed; the same shape as <see cref="ClosedLoop"/>, plus p90, per-client sequence numbers
    /// and a retry on a leader change. Every put is bounded by the run's own deadline.
    /// </summary>
    private static async Task<RaftPeerRun> RunLoopAsync(RaftKvCluster cluster, RaftPeerOptions options, int clients, TimeSpan duration, ClientIds clientIds, CancellationToken token)
    {
        var buffers = new long[clients][];
        var counts = new int[clients];
        var retries = new long[clients];
        for (var i = 0; i < clients; i++)
        {
            buffers[i] = new long[1 << 14];
        }

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(token);
        bound.CancelAfter(duration + options.ElectionTimeout + TimeSpan.FromSeconds(30));
        var leader = await cluster.WaitForLeaderAsync(bound.Token).ConfigureAwait(false);
        var putters = new IRaftPutter[clients];
        for (var w = 0; w < clients; w++)
        {
            putters[w] = cluster.CreatePutter(leader, bound.Token);
        }

        var start = Stopwatch.GetTimestamp();
        var stopAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task[clients];
        for (var w = 0; w < clients; w++)
        {
            var worker = w;
            var clientId = clientIds.Next();
            workers[w] = Task.Run(async () =>
            {
                var random = new Random((int)clientId);
                var key = new byte[options.KeySize];
                var value = new byte[options.ValueSize];
                var payload = new byte[RaftPut.Size(options.KeySize, options.ValueSize)];
                var buffer = buffers[worker];
                var putter = putters[worker];
                var n = 0;
                ulong seq = 0;
                while (true)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    if (t0 >= stopAt)
                    {
                        break;
                    }

                    FillKey(key, random.Next(options.Keys));
                    FillValue(value, ++seq);
                    RaftPut.Encode(payload, clientId, seq, key, value);
                    for (var attempt = 0; ; attempt++)
                    {
                        if (attempt > MaxRetriesPerPut)
                        {
                            throw new InvalidOperationException($"raft peer: a put was retried {MaxRetriesPerPut} times without committing; the last attempt: {putter.LastFailure}");
                        }

                        // True once the entry is committed and applied on the leader.
                        if (await putter.PutAsync(payload, bound.Token).ConfigureAwait(false))
                        {
                            break;
                        }

                        // A retry reuses the sequence number, so the session table runs the put once.
                        retries[worker]++;
                        await putter.RetargetAsync(await cluster.WaitForLeaderAsync(bound.Token).ConfigureAwait(false), bound.Token).ConfigureAwait(false);
                    }

                    var latency = Stopwatch.GetTimestamp() - t0;
                    if (n == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                        buffers[worker] = buffer;
                    }

                    buffer[n++] = latency;
                }

                counts[worker] = n;
            }, bound.Token);
        }

        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        finally
        {
            foreach (var putter in putters)
            {
                await putter.DisposeAsync().ConfigureAwait(false);
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(start);

        var all = new long[counts.Sum()];
        var at = 0;
        for (var w = 0; w < clients; w++)
        {
            Array.Copy(buffers[w], 0, all, at, counts[w]);
            at += counts[w];
        }

        Array.Sort(all);
        return new RaftPeerRun(options.Nodes, clients, 0, all.Length, elapsed, Ms(all, 0.50), Ms(all, 0.90), Ms(all, 0.99), retries.Sum());
    }

    /// <summary>Key i as fixed-width ASCII: <c>k</c> then i zero-padded to the key size.</summary>
    internal static void FillKey(Span<byte> key, int i)
    {
        key[0] = (byte)'k';
        var digits = key[1..];
        for (var d = digits.Length - 1; d >= 0; d--, i /= 10)
        {
            digits[d] = (byte)('0' + (i % 10));
        }
    }

    /// <summary>A value that changes with every put (the sequence number in letters), so replicas that diverge differ.</summary>
    internal static void FillValue(Span<byte> value, ulong seq)
    {
        for (var d = value.Length - 1; d >= 0; d--, seq /= 26)
        {
            value[d] = (byte)('a' + (int)(seq % 26));
        }
    }

    private static double Ms(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;

    /// <summary>Client ids unique over the whole run, so no session-table entry is shared by two loops.</summary>
    private sealed class ClientIds
    {
        private int _last;

        public uint Next() => (uint)Interlocked.Increment(ref _last);
    }

}

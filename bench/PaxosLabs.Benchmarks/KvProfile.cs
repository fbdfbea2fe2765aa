using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Benchmarks;

/// <summary>
/// <c>kv-profile [clients] [seconds] [repetitions]</c>: a diagnostic, not a figure. Runs figure 2's
/// fastest contender alone (3 replicas, leader-direct clients, MaxBatch 32, Alpha 16) for a while and
/// prints, per repetition, what a command costs and how the slots are filled: the numbers to watch
/// while tuning the store's path, for example under <c>perf record -p</c>. Compare two builds by
/// running them in turn several times: on a shared 2-core machine one run differs from the next by
/// 10–20 %. With <c>--peer</c> it runs figure 2's Raft peer instead (3 nodes, gRPC clients to the
/// leader), measured the same way, so the two paths' costs per command can be set side by side. With
/// <c>--data-dir</c> the store is figure 6's durable one, its journals in a new folder under that one
/// (the peer keeps its state there too; without it, on tmpfs where there is one).
/// </summary>
internal static class KvProfile
{
    public static async Task<int> RunAsync(KvProfileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Peer ? await RunPeerAsync(request) : await RunStoreAsync(request);
    }

    private static async Task<int> RunStoreAsync(KvProfileRequest request)
    {
        var defaults = new ReplicaOptions();
        // Its own folder under the one given, which the cluster deletes when it stops.
        var stateRoot = request.DataDir is null ? null : Path.Combine(request.DataDir, $"paxoslabs-kv-profile-{Environment.ProcessId}-{Guid.NewGuid():N}");
        await using var cluster = await KvCluster.StartAsync(3, defaults.Alpha, defaults.MaxBatch, stateRoot, KvClientMode.LeaderDirect);
        var writers = Enumerable.Range(0, request.Clients).Select(cluster.Writer).ToList();
        await ClosedLoop.RunAsync(writers, TimeSpan.FromSeconds(8)); // tiered compilation settles
        for (var rep = 1; rep <= request.Repetitions; rep++)
        {
            var leader = cluster.LeaderReady ?? throw new InvalidOperationException("the replicas lost their leader during the run");
            var adu = leader.Replica.State.Adu;
            var pause = GC.GetTotalPauseDuration();
            int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            var run = await ClosedLoop.RunAsync(writers, TimeSpan.FromSeconds(request.Seconds));
            var slots = Math.Max(1, leader.Replica.State.Adu - adu);
            Console.WriteLine(
                $"rep {rep}/{request.Repetitions}, {request.Clients} clients: {run.CallsPerSecond:F0} commands/s, p50 {run.P50Ms:F3} ms; per command "
                + $"{run.CpuUsPerCall:F1} µs CPU, {run.BytesPerCall:F0} B, {run.WorkItemsPerCall:F1} work items, {(GC.GetTotalPauseDuration() - pause).TotalMicroseconds / run.Calls:F1} µs GC pause; "
                + $"{(double)run.Calls / slots:F2} commands per slot; GCs gen0/1/2 {GC.CollectionCount(0) - collections[0]}/{GC.CollectionCount(1) - collections[1]}/{GC.CollectionCount(2) - collections[2]}, heap {GC.GetTotalMemory(false) >> 20} MB");
        }

        return 0;
    }

    private static async Task<int> RunPeerAsync(KvProfileRequest request)
    {
        var options = new RaftPeerOptions { StateRoot = request.DataDir };
        using var lifetime = new CancellationTokenSource();
        await using var cluster = await RaftKvCluster.StartAsync(options, lifetime.Token);
        var leader = await cluster.WaitForLeaderAsync(lifetime.Token);
        var putters = new List<IRaftPutter>();
        var writers = new List<Func<Task>>();
        for (var i = 0; i < request.Clients; i++)
        {
            var putter = cluster.CreatePutter(leader, lifetime.Token);
            putters.Add(putter);
            writers.Add(PeerWriter(putter, (uint)i + 1, options));
        }

        try
        {
            await ClosedLoop.RunAsync(writers, TimeSpan.FromSeconds(8)); // tiered compilation settles
            for (var rep = 1; rep <= request.Repetitions; rep++)
            {
                var pause = GC.GetTotalPauseDuration();
                var run = await ClosedLoop.RunAsync(writers, TimeSpan.FromSeconds(request.Seconds));
                Console.WriteLine(
                    $"peer rep {rep}/{request.Repetitions}, {request.Clients} clients: {run.CallsPerSecond:F0} commands/s, p50 {run.P50Ms:F3} ms; per command "
                    + $"{run.CpuUsPerCall:F1} µs CPU, {run.BytesPerCall:F0} B, {run.WorkItemsPerCall:F1} work items, {(GC.GetTotalPauseDuration() - pause).TotalMicroseconds / run.Calls:F1} µs GC pause");
            }
        }
        finally
        {
            foreach (var putter in putters)
            {
                await putter.DisposeAsync();
            }
        }

        return 0;
    }

    /// <summary>One peer client's call: its next put, encoded as figure 2's peer run encodes it; a put that is not committed ends the profile.</summary>
    private static Func<Task> PeerWriter(IRaftPutter putter, uint clientId, RaftPeerOptions options)
    {
        var random = new Random((int)clientId);
        var key = new byte[options.KeySize];
        var value = new byte[options.ValueSize];
        var payload = new byte[RaftPut.Size(options.KeySize, options.ValueSize)];
        ulong seq = 0;
        return async () =>
        {
            RaftPeer.FillKey(key, random.Next(options.Keys));
            RaftPeer.FillValue(value, ++seq);
            RaftPut.Encode(payload, clientId, seq, key, value);
            if (!await putter.PutAsync(payload, CancellationToken.None))
            {
                throw new InvalidOperationException($"the Raft peer did not commit a put (leader change during the profile?): {putter.LastFailure}");
            }
        };
    }
}

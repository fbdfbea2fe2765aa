using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Benchmarks;

/// <summary>
/// <c>kv-profile [clients] [seconds] [repetitions]</c>: a diagnostic, not a figure. Runs figure 2's
/// fastest contender alone (3 replicas, leader-direct clients, MaxBatch 32, Alpha 16) for a while and
/// prints, per repetition, what a command costs and how the slots are filled: the numbers to watch
/// while tuning the store's path, for example under <c>perf record -p</c>. Compare two builds by
/// running them in turn several times: on a shared 2-core machine one run differs from the next by
/// 10–20 %.
/// </summary>
internal static class KvProfile
{
    public static async Task<int> RunAsync(KvProfileRequest request)
    {
        var defaults = new ReplicaOptions();
        await using var cluster = await KvCluster.StartAsync(3, defaults.Alpha, defaults.MaxBatch, clientMode: KvClientMode.LeaderDirect);
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
}

using PaxosLabs.Testing;
using Xunit.Abstractions;

namespace PaxosLabs.HiddenTests.Stage5;

/// <summary>
/// End to end over real gRPC and real disks: three <c>replica --data-dir</c> processes of the built
/// PaxosLabs.Node, clients in this process. In the middle of a write workload every replica process
/// is killed with SIGKILL at once, then all are started again from their data folders. Every write
/// acknowledged before the kill must still be there, once and in order, and writes must go on.
/// </summary>
public sealed class GrpcDurableTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Writers = 3;
    private readonly ReplicaCluster _cluster = new(output);
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"paxoslabs-durable-{Guid.NewGuid():N}");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    [Graded("5.3", 4)]
    public async Task Acknowledged_writes_survive_killing_every_replica_process_and_restarting_them_from_disk()
    {
        await _cluster.StartAsync(3, id => Path.Combine(_data, $"replica-{id}"));
        _cluster.Log($"3 durable replica processes serve at {string.Join(", ", _cluster.Nodes.Values)}, data in {_data}");
        var first = await Eventually.WithinAsync(_cluster.Client("probe").PutAsync("probe", "1"), "the first write to the 3 replica processes");
        Assert.True(first == "1", $"A put of \"1\" must return the value after the put, \"1\"; got \"{first}\".");

        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(w => new Writer(_cluster.Client($"writer-{w}"), $"k{w}")).ToList();
        var runs = writers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();
        try
        {
            await _cluster.WaitAsync(() => writers.All(w => w.Acknowledged >= 10), writers, "every writer to have 10 writes acknowledged by the 3 replicas");
            var acknowledged = writers.Select(w => w.Acknowledged).ToList();
            _cluster.Log($"killing every replica process (SIGKILL); acknowledged: {string.Join(", ", acknowledged)}");
            foreach (var replica in _cluster.Replicas)
            {
                replica.Kill();
            }

            await _cluster.RestartAsync([.. _cluster.Nodes.Keys]);
            var leader = await ReplicaCluster.WaitForLeaderAsync(_cluster.Replicas, "the 3 restarted replica processes to agree on a leader");
            _cluster.Log($"restarted from disk, leader {leader}");
            await _cluster.WaitAsync(() => writers.Select((w, i) => w.Acknowledged >= acknowledged[i] + 10).All(x => x), writers,
                "every writer to have 10 more writes acknowledged after every replica was killed and restarted from its data folder");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(runs);
        }

        _cluster.Log($"writers stopped; acknowledged: {string.Join(", ", writers.Select(w => w.Acknowledged))}");
        Assert.All(writers, w => Assert.True(w.Failure is null, $"{w.Key}: {w.Failure} (every replica had been killed with SIGKILL and restarted from its data folder)"));
        await _cluster.CheckWritersAsync(writers, "after every replica was killed with SIGKILL and restarted from its data folder");
    }
}

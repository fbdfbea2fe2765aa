using PaxosLabs.Testing;
using Xunit.Abstractions;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>
/// End to end over real gRPC: three <c>replica</c> processes of the built PaxosLabs.Node, clients in
/// this process. The leader's process is killed in the middle of a write workload; every
/// acknowledged write must survive, exactly once and in order, and writes must complete under the
/// new leader.
/// </summary>
public sealed class GrpcClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Writers = 3;
    private readonly ReplicaCluster _cluster = new(output);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    [Graded("4.4", 4)]
    public async Task Acknowledged_writes_survive_killing_the_leader_process_and_writes_resume_under_the_new_leader()
    {
        await _cluster.StartAsync(3);
        _cluster.Log($"3 replica processes serve at {string.Join(", ", _cluster.Nodes.Values)}");

        // Fails at once when the replicas or the quorum calls are stubs.
        var first = await Eventually.WithinAsync(_cluster.Client("probe").PutAsync("probe", "1"), "the first write to the 3 replica processes");
        Assert.True(first == "1", $"A put of \"1\" must return the value after the put, \"1\"; got \"{first}\".");

        _cluster.Log("first write acknowledged");
        var leader = await ReplicaCluster.WaitForLeaderAsync(_cluster.Replicas, "the 3 replica processes to agree on a leader");
        _cluster.Log($"leader {leader}");
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(w => new Writer(_cluster.Client($"writer-{w}"), $"k{w}")).ToList();
        var runs = writers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();
        try
        {
            await _cluster.WaitAsync(() => writers.All(w => w.Acknowledged >= 10), writers, "every writer to have 10 writes acknowledged by the 3 replicas");

            var victim = _cluster.Replicas.Single(r => r.Id == leader);
            _cluster.Log($"killing the leader's process, replica {leader}; acknowledged: {string.Join(", ", writers.Select(w => w.Acknowledged))}");
            victim.Kill();
            var survivors = _cluster.Replicas.Where(r => r != victim).ToList();
            var newLeader = await ReplicaCluster.WaitForLeaderAsync(survivors, $"the 2 surviving replicas to agree on a new leader after leader {leader} was killed", except: leader);

            var resumeFrom = writers.Select(w => w.Acknowledged).ToList();
            _cluster.Log($"new leader {newLeader}; acknowledged: {string.Join(", ", resumeFrom)}");
            await _cluster.WaitAsync(() => writers.Select((w, i) => w.Acknowledged >= resumeFrom[i] + 10).All(x => x), writers,
                $"every writer to have 10 more writes acknowledged under the new leader {newLeader} (leader {leader} was killed)");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(runs);
        }

        _cluster.Log($"writers stopped; acknowledged: {string.Join(", ", writers.Select(w => w.Acknowledged))}");
        Assert.All(writers, w => Assert.True(w.Failure is null, $"{w.Key}: {w.Failure}"));
        await _cluster.CheckWritersAsync(writers, $"after leader {leader} was killed");

        foreach (var survivor in _cluster.Replicas.Where(r => r.Id != leader))
        {
            Assert.False(survivor.HasExited, $"Replica {survivor.Id} must keep running; it exited with code {survivor.ExitCode}. Its output:\n{survivor.Output}");
        }
    }
}

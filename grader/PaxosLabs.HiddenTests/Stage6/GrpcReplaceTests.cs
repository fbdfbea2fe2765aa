using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;
using Xunit.Abstractions;

namespace PaxosLabs.HiddenTests.Stage6;

/// <summary>
/// End to end over real gRPC: three <c>replica --members 1,2,3</c> processes of the built
/// PaxosLabs.Node and a spare (node 4, not started), clients in this process. Under a write workload
/// the leader is killed with SIGKILL, the spare is started, and an administrator replaces the killed
/// replica by it. Once the new configuration runs, a second old replica is killed: the writes go on
/// only if the new replica counts in the quorum. Every acknowledged write must be there, once and in order.
/// </summary>
public sealed class GrpcReplaceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Writers = 3;
    private readonly ReplicaCluster _cluster = new(output);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    [Graded("6.3", 3)]
    public async Task A_killed_leader_is_replaced_by_a_new_replica_process_with_nothing_acknowledged_lost()
    {
        await _cluster.StartAsync(3, spares: 1);
        _cluster.Log($"replica processes 1–3 serve at {string.Join(", ", _cluster.Members.Values)}; spare 4 will be at {_cluster.Nodes[4]}");
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(w => new Writer(_cluster.Client($"writer-{w}"), $"k{w}")).ToList();
        var runs = writers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();
        try
        {
            await _cluster.WaitAsync(() => writers.All(w => w.Acknowledged >= 10), writers, "every writer to have 10 writes acknowledged by replicas 1–3");
            var leader = await ReplicaCluster.WaitForLeaderAsync([.. _cluster.Replicas], "replicas 1–3 to agree on a leader");
            _cluster.Log($"killing the leader, replica {leader} (SIGKILL)");
            _cluster.Replicas.Single(r => r.Id == leader).Kill();
            await _cluster.StartSpareAsync(4);
            var survivors = _cluster.Members.Keys.Where(id => id != leader).ToList();
            var change = new Membership();
            change.Nodes.Add(survivors.Append(4u).ToDictionary(id => id, id => _cluster.Nodes[id]));
            _cluster.Log($"replacing replica {leader} by replica 4: reconfigure to {{{string.Join(", ", change.Nodes.Keys)}}}");
            await Eventually.WithinAsync(_cluster.Client("admin").ReconfigureAsync(change), $"the change to {{{string.Join(", ", change.Nodes.Keys)}}} to run");
            _cluster.Reconfigured(change); // the final reader starts with the new replicas (the writers follow the responses)

            // α (16) slots later the new configuration runs; 40 more writes per writer are well past it.
            var before = writers.Select(w => w.Acknowledged).ToList();
            await _cluster.WaitAsync(() => writers.Select((w, i) => w.Acknowledged >= before[i] + 40).All(x => x), writers,
                $"every writer to have 40 more writes acknowledged after replica {leader} was replaced by replica 4");

            var second = survivors.Min();
            _cluster.Log($"killing replica {second} too (SIGKILL): of the new configuration {{{string.Join(", ", change.Nodes.Keys)}}} two are left, replica 4 one of them");
            _cluster.Replicas.Single(r => r.Id == second).Kill();
            before = [.. writers.Select(w => w.Acknowledged)];
            await _cluster.WaitAsync(() => writers.Select((w, i) => w.Acknowledged >= before[i] + 10).All(x => x), writers,
                $"every writer to have 10 more writes acknowledged with replicas {leader} and {second} killed: only a quorum of the new configuration in which replica 4 counts can decide them");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(runs);
        }

        _cluster.Log($"writers stopped; acknowledged: {string.Join(", ", writers.Select(w => w.Acknowledged))}");
        Assert.All(writers, w => Assert.True(w.Failure is null, $"{w.Key}: {w.Failure} (the leader had been replaced by a new replica)"));
        await _cluster.CheckWritersAsync(writers, "after the leader was killed and replaced by a new replica process, and a second old replica was killed");
    }
}

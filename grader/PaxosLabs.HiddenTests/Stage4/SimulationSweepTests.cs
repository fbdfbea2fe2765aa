using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>
/// The replicated store in the deterministic simulator, 500 seeds (300 on 3 replicas, 200 on 5; then 200 more with one slot in
/// flight, where slots carry batches of client values, and 200 with leader-direct clients): loss, duplicates, reordering,
/// a leader crash and a partitioned replica in each run. Per-slot agreement, in-order execution,
/// a linearizable client history and completion after the network stabilizes must hold in every
/// seed. A failure names the seed and how to replay it with the visible tests.
/// </summary>
public class SimulationSweepTests
{
    [Theory]
    [Graded("4.4", 6)]
    [InlineData(3, 300, 16, KvClientMode.AllReplicas)]
    [InlineData(5, 200, 16, KvClientMode.AllReplicas)]
    [InlineData(3, 200, 1, KvClientMode.AllReplicas)] // one slot in flight: values queue up and slots carry batches
    [InlineData(3, 200, 16, KvClientMode.LeaderDirect)] // each client sends to the leader it believes in (protocol §4.5)
    public void Clients_see_a_linearizable_store_through_leader_crashes_and_partitions(int replicas, int seeds, int alpha, KvClientMode clients) => MultiPaxosScenario.Sweep(replicas, seeds, alpha, clients);
}

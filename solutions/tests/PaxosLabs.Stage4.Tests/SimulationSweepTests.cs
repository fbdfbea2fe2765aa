using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;
using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.Stage4.Tests;

/// <summary>
/// The replicated store in the deterministic simulator: each seed is one run with message loss,
/// duplicates, reordering, a leader crash and a partition. The graded version runs many more
/// seeds (300, 200, 200 and 200); PAXOSLABS_SEEDS=300 dotnet test … runs 300 per case here, printing its
/// progress as it goes. When one fails, this test replays it: PAXOSLABS_SEED=&lt;seed&gt; dotnet
/// test … (the failure says how, and where the space-time diagram is).
/// </summary>
[Trait("Stage", "4")]
public class SimulationSweepTests(SweepProgressLog progress) : IClassFixture<SweepProgressLog>
{
    [Theory]
    [Trait("Task", "4.4")]
    [InlineData(3, 16, KvClientMode.AllReplicas)]
    [InlineData(5, 16, KvClientMode.AllReplicas)]
    [InlineData(3, 1, KvClientMode.AllReplicas)] // one slot in flight: values queue up and slots carry batches
    [InlineData(3, 16, KvClientMode.LeaderDirect)] // each client sends to the leader it believes in (protocol §4.5)
    public void Clients_see_a_linearizable_store_through_leader_crashes_and_partitions(int replicas, int alpha, KvClientMode clients) => MultiPaxosScenario.Sweep(replicas, seeds: 10, alpha, clients, progress);
}

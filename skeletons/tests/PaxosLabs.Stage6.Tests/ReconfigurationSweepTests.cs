using PaxosLabs.Testing;
using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.Stage6.Tests;

/// <summary>
/// Reconfiguration in the deterministic simulator: in each seed a replica (the leader in half of
/// them) crashes and an administrator replaces it by a spare, while another adds a second spare,
/// during the clients' load on a lossy network. The replicas must agree slot by slot, every change
/// must run, and the clients' history must be linearizable. PAXOSLABS_SEEDS=500 dotnet test … runs
/// 500 seeds per case, printing progress; PAXOSLABS_SEED=&lt;seed&gt; replays one (the failure says how).
/// </summary>
[Trait("Stage", "6")]
public class ReconfigurationSweepTests(SweepProgressLog progress) : IClassFixture<SweepProgressLog>
{
    [Theory]
    [Trait("Task", "6.3")]
    [InlineData(3, 4)]
    [InlineData(3, 1)]
    [InlineData(5, 4)]
    public void A_crashed_replica_is_replaced_and_a_spare_added_during_the_load(int replicas, int alpha) =>
        MultiPaxosScenario.ReconfigurationSweep(replicas, seeds: 10, alpha, progress);
}

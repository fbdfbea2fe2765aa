using PaxosLabs.Testing;
using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.Stage5.Tests;

/// <summary>
/// The durable store in the deterministic simulator: each seed crashes one, a majority or all
/// replicas at once, their disks losing (or tearing) what was not flushed, and restarts them from
/// their disks. No write a client saw acknowledged may be lost, the replicas must agree slot by slot,
/// and the clients' history must be linearizable. The graded version runs many more seeds (300 and
/// 200); PAXOSLABS_SEEDS=300 dotnet test … runs 300 per case here, printing its progress as it goes.
/// When one fails, this test replays it: PAXOSLABS_SEED=&lt;seed&gt; dotnet test … (the failure says how).
/// </summary>
[Trait("Stage", "5")]
public class DurableSweepTests(SweepProgressLog progress) : IClassFixture<SweepProgressLog>
{
    [Theory]
    [Trait("Task", "5.3")]
    [InlineData(3)]
    [InlineData(5)]
    public void Nothing_acknowledged_is_lost_when_any_replicas_crash_and_restart(int replicas) => MultiPaxosScenario.DurableSweep(replicas, seeds: 10, progress);
}

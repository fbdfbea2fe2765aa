using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.HiddenTests.Stage5;

/// <summary>
/// The durable store in the deterministic simulator, 500 seeds (300 on 3 replicas, 200 on 5). Each
/// seed crashes one replica, a majority or all of them at once, at a random moment while the network
/// loses, duplicates and reorders messages; their disks lose (or tear) what was not flushed; they
/// restart from their disks. Per-slot agreement, a linearizable client history in which every
/// client reads every key at the end (so an acknowledged write that a crash lost shows), and
/// completion must hold in every seed. A failure names the seed and how to replay it with the
/// visible tests.
/// </summary>
public class DurableSweepTests
{
    [Theory]
    [Graded("5.3", 6)]
    [InlineData(3, 300)]
    [InlineData(5, 200)]
    public void Nothing_acknowledged_is_lost_when_any_replicas_crash_and_restart(int replicas, int seeds) => MultiPaxosScenario.DurableSweep(replicas, seeds);
}

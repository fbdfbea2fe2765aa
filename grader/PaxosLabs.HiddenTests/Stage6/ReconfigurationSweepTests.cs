using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.HiddenTests.Stage6;

/// <summary>
/// Task 6.2 in the deterministic simulator, on a network that loses, duplicates and reorders messages
/// until it becomes stable: a replica (the leader in half the seeds) crashes and is replaced by a
/// spare while another change adds a second spare (at once or one after the other); and the leader
/// crashing right after a change ran. Every seed checks per-slot agreement, that every change runs,
/// that every prepare, accept and commit stays within its slot's configuration, that the new
/// configuration's replicas catch up and run its slots, and a linearizable client history. A failure
/// names the seed and how to replay it with the visible tests.
/// </summary>
public class ReconfigurationSweepTests
{
    [Theory]
    [Graded("6.2", 8)]
    [InlineData(3, 4, 300)]
    [InlineData(3, 1, 100)]
    [InlineData(5, 4, 100)]
    public void The_store_changes_its_replicas_during_the_load(int replicas, int alpha, int seeds) =>
        MultiPaxosScenario.ReconfigurationSweep(replicas, seeds, alpha, ReconfigurationPlan.ReplaceAndGrow);

    [Fact]
    [Graded("6.2", 4)]
    public void The_leader_crashes_right_after_a_change_and_the_next_change_replaces_it() =>
        MultiPaxosScenario.ReconfigurationSweep(3, 150, 4, ReconfigurationPlan.LeaderCrashDuringChange);
}

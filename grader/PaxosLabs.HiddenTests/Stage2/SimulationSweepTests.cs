using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.HiddenTests.Stage2;

/// <summary>
/// Whole-protocol sweeps in the deterministic simulator, 200 seeds per case: every seed is one run
/// with its own drops, duplicates, reordering and crashes. A failure names the seed, the command
/// that replays it with the visible tests, and a space-time diagram of the run.
/// </summary>
public class SimulationSweepTests
{
    [Theory]
    [Graded("2.5", 4)]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    public void Two_competing_proposers_agree_under_loss_duplication_reordering_and_a_crashed_minority(int n, int crashes) => SinglePaxosScenario.Sweep(n, crashes, seeds: 200);
}

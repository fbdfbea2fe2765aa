using PaxosLabs.Simulation;
using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.HiddenTests.Stage2;

/// <summary>
/// Whole-protocol sweeps in the deterministic simulator: every seed is one run with its own
/// drops, duplicates, reordering and crashes. A failure names the seed, the command that replays
/// it, and a space-time diagram of the run.
/// </summary>
public class SimulationSweepTests
{
    private static readonly FaultProfile Faults = FaultProfile.Lossy with { StableAfter = TimeSpan.FromSeconds(3) };

    [Theory]
    [Graded("2.5", 4)]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    public void Two_competing_proposers_agree_under_loss_duplication_reordering_and_a_crashed_minority(int n, int crashes)
    {
        Sweep.Run(
            $"{nameof(SimulationSweepTests)}.{nameof(Two_competing_proposers_agree_under_loss_duplication_reordering_and_a_crashed_minority)}",
            "src/tests/PaxosLabs.Stage2.Tests",
            Enumerable.Range(1, 200).Select(i => (long)(n * 1000 + i)),
            Faults,
            options => SinglePaxosScenario.Run(options, n, crashes),
            [.. Enumerable.Range(0, n).Select(i => SinglePaxosScenario.Name((uint)i))]);
    }
}

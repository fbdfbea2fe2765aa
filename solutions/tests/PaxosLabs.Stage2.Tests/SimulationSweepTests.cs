using PaxosLabs.Testing;
using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.Stage2.Tests;

/// <summary>
/// The whole protocol in the deterministic simulator: each seed is one run with its own message
/// loss, duplicates, reordering and crashes. The graded version runs many more seeds (200 per case);
/// PAXOSLABS_SEEDS=200 dotnet test … runs as many here, printing its progress as it goes. When one
/// fails, this test replays it: PAXOSLABS_SEED=&lt;seed&gt; dotnet test … (the failure says how).
/// </summary>
[Trait("Stage", "2")]
public class SimulationSweepTests(SweepProgressLog progress) : IClassFixture<SweepProgressLog>
{
    [Theory]
    [Trait("Task", "2.5")]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    public void Two_competing_proposers_agree_under_loss_duplication_reordering_and_a_crashed_minority(int n, int crashes) => SinglePaxosScenario.Sweep(n, crashes, seeds: 20, progress: progress);
}

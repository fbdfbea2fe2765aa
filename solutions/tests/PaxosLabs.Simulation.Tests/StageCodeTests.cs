using PaxosLabs.Simulation;
using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.Simulation.Tests;

/// <summary>The simulator on real stage code: single-decree Paxos.</summary>
public class StageCodeTests
{
    private static readonly FaultProfile Faults = FaultProfile.Lossy with { StableAfter = TimeSpan.FromSeconds(3) };

    [Fact]
    public void The_same_seed_replays_the_same_Paxos_run()
    {
        var first = SinglePaxosScenario.Run(new SimulationOptions { Seed = 77, Faults = Faults }, 5, 2);
        var second = SinglePaxosScenario.Run(new SimulationOptions { Seed = 77, Faults = Faults }, 5, 2);
        Assert.Null(first.Failure);
        Assert.True(first.Simulator.Trace.Events.Count > 100, "a real run has many events");
        Assert.Equal(first.Simulator.Trace.Hash(), second.Simulator.Trace.Hash());
        Assert.NotEqual(first.Simulator.Trace.Hash(), SinglePaxosScenario.Run(new SimulationOptions { Seed = 78, Faults = Faults }, 5, 2).Simulator.Trace.Hash());
    }

    [Fact]
    public void A_seed_sweep_catches_a_broken_acceptor_and_reports_seed_replay_and_a_shorter_trace()
    {
        var error = Assert.Throws<SimulationFailedException>(() => Sweep.Run(
            "StageCodeTests.BrokenAcceptor",
            "src/tests/PaxosLabs.Simulation.Tests",
            Enumerable.Range(1, 300).Select(i => (long)i),
            Faults,
            options => SinglePaxosScenario.Run(options, 3, 0, _ => new ForgetfulAcceptor()),
            ["n0", "n1", "n2"]));

        var message = error.Message;
        Assert.Contains("Agreement violated", message, StringComparison.Ordinal);
        Assert.Matches(@"seed: \d+", message);
        Assert.Matches(@"replay exactly this run: PAXOSLABS_SEED=\d+ dotnet test src/tests/PaxosLabs.Simulation.Tests --filter ""FullyQualifiedName~StageCodeTests.BrokenAcceptor""", message);
        var trace = System.Text.RegularExpressions.Regex.Match(message, @"space-time diagram: (\S+\.html)").Groups[1].Value;
        Assert.True(File.Exists(trace), $"the HTML trace {trace} must exist");
        Assert.Contains("<svg", File.ReadAllText(trace), StringComparison.Ordinal);
        var counts = System.Text.RegularExpressions.Regex.Match(message, @"minimized trace: (\d+) of (\d+) events");
        Assert.True(int.Parse(counts.Groups[1].Value) < int.Parse(counts.Groups[2].Value), $"the minimized trace must be shorter than the original: {counts.Value}");
    }
}

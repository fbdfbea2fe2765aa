using PaxosLabs.Detectors;
using PaxosLabs.Simulation;

namespace PaxosLabs.HiddenTests.Stage3;

/// <summary>Whole nodes in the deterministic simulator: real detector code, virtual time, seeded faults.</summary>
public class SimulationTests
{
    private static readonly TimeSpan Delta = TimeSpan.FromMilliseconds(100);
    private const long Budget = 5_000_000;

    /// <summary>Nodes n0 … n(k−1), each a <see cref="DetectorNode"/> started at boot.</summary>
    private static Simulator World(int n, long seed, FaultProfile faults)
    {
        var sim = new Simulator(new SimulationOptions { Seed = seed, Faults = faults });
        var names = Enumerable.Range(0, n).ToDictionary(i => (uint)i, i => $"n{i}");
        foreach (var (id, name) in names)
        {
            sim.AddNode(name, id, env =>
            {
                var node = new DetectorNode(env.Id, names, env.Network, env.Time, new DetectorOptions { Delta = Delta, ClientName = env.Name });
                node.Start();
                return new SimProcess([node.Service], node, () => $"leader {node.Leader}, suspects [{string.Join(",", node.FailureDetector.Suspected)}], delay {node.FailureDetector.Delay.TotalMilliseconds} ms");
            });
        }

        return sim;
    }

    private static DetectorNode At(Simulator sim, uint id) => sim[$"n{id}"].Get<DetectorNode>();

    private static string State(Simulator sim, IEnumerable<uint> ids) =>
        string.Join("; ", ids.Select(id => $"node {id}: leader {At(sim, id).Leader}, suspects [{string.Join(", ", At(sim, id).FailureDetector.Suspected)}], delay {At(sim, id).FailureDetector.Delay.TotalMilliseconds} ms"));

    [Theory]
    [InlineData(1L)]
    [InlineData(2L)]
    [InlineData(3L)]
    [Graded("3.2", 3)]
    public void A_crashed_leader_is_replaced_by_the_next_highest_id_at_every_correct_node_on_a_lossy_network(long seed)
    {
        var sim = World(4, seed, FaultProfile.Lossy);
        uint[] correct = [0, 1, 2];

        sim.RunFor(TimeSpan.FromSeconds(2), Budget);
        sim.Crash("n3");
        // Lossy is stable after 10 s: from then on the detectors must settle.
        sim.RunFor(TimeSpan.FromSeconds(25) - sim.Now, Budget);

        foreach (var id in correct)
        {
            var node = At(sim, id);
            Assert.True(node.Leader == 2 && node.FailureDetector.Suspected.SequenceEqual([3u]),
                $"Seed {seed}: node 3 (the leader) crashed at 2 s and the network is stable from 10 s on, so at {sim.Now.TotalSeconds} s every correct node must suspect exactly node 3 and trust node 2. " +
                $"Now: {State(sim, correct)}.");
        }

        Assert.False(sim.Escaped, "The detectors must run inside the simulator: time only from the TimeProvider, no threads, no Task.Run.");
    }

    [Theory]
    [InlineData(4L)]
    [InlineData(5L)]
    [Graded("3.2", 3)]
    public void A_delay_spike_causes_a_false_suspicion_that_is_corrected_and_the_delay_has_grown(long seed)
    {
        var sim = World(3, seed, FaultProfile.None);
        uint[] all = [0, 1, 2], others = [0, 1];

        sim.RunFor(TimeSpan.FromSeconds(1), Budget);
        sim.Slow("n2", TimeSpan.FromMilliseconds(300)); // every message to or from the leader takes 300 ms more
        var suspected = sim.RunUntil(() => others.All(id => At(sim, id).FailureDetector.Suspected.Contains(2u)), Budget);
        Assert.True(suspected,
            $"Seed {seed}: with node 2's messages 300 ms late and delta {Delta.TotalMilliseconds} ms, nodes 0 and 1 must (falsely) suspect node 2. Now ({sim.Now.TotalSeconds} s): {State(sim, all)}.");

        sim.RunFor(TimeSpan.FromSeconds(1), Budget);
        sim.Slow("n2", TimeSpan.Zero); // the spike ends
        sim.RunFor(TimeSpan.FromSeconds(10), Budget);

        foreach (var id in all)
        {
            var node = At(sim, id);
            Assert.True(node.Leader == 2 && node.FailureDetector.Suspected.Count == 0,
                $"Seed {seed}: 10 s after the spike ended, every false suspicion must be corrected and node 2 must lead again. Now: {State(sim, all)}.");
        }

        foreach (var id in others)
        {
            Assert.True(At(sim, id).FailureDetector.Delay > Delta,
                $"Seed {seed}: node {id} restored node 2 after suspecting it falsely, so its delay must have grown above delta ({Delta.TotalMilliseconds} ms). Now: {State(sim, all)}.");
        }

        Assert.False(sim.Escaped, "The detectors must run inside the simulator: time only from the TimeProvider, no threads, no Task.Run.");
    }
}

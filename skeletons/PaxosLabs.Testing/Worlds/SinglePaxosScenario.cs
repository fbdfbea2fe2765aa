using PaxosLabs.Gorums.Server;
using PaxosLabs.Simulation;
using PaxosLabs.Simulation.Checkers;
using PaxosLabs.SinglePaxos;

namespace PaxosLabs.Testing.Worlds;

/// <summary>
/// Single-decree Paxos in the simulator: n nodes, two of them proposing different values at
/// once, up to <c>crashes</c> other nodes crashing (for good) at random times while the network
/// misbehaves. It fails on any safety violation (agreement, validity, integrity), and when the
/// proposers have not both decided by the step budget although the network became stable.
/// </summary>
public static class SinglePaxosScenario
{
    public static readonly IReadOnlyList<string> Proposed = ["apple", "banana"];

    /// <summary>The network of the sweeps: lossy, duplicating, reordering, stable from 3 s on.</summary>
    public static readonly FaultProfile Faults = FaultProfile.Lossy with { StableAfter = TimeSpan.FromSeconds(3) };

    public static string Name(uint id) => $"n{id}";

    /// <summary>
    /// Runs the scenario over <paramref name="seeds"/> (seeds n·1000 + 1, + 2, …; <c>PAXOSLABS_SEEDS</c>
    /// changes how many). The visible and the graded sweep share this, so a seed that fails in
    /// grading replays with the visible test, whose name the failure prints.
    /// </summary>
    /// <param name="service">As in <see cref="Run"/>: the kit's own tests break an acceptor to show what a failing seed prints.</param>
    public static void Sweep(int n, int crashes, int seeds, Func<PaxosNode, IGorumsService>? service = null, IProgress<SweepProgress>? progress = null) => Simulation.Sweep.Run(
        "SimulationSweepTests.Two_competing_proposers_agree_under_loss_duplication_reordering_and_a_crashed_minority",
        "src/tests/PaxosLabs.Stage2.Tests",
        Enumerable.Range(1, Simulation.Sweep.SeedCount(seeds)).Select(i => (long)(n * 1000 + i)),
        Faults,
        options => Run(options, n, crashes, service),
        [.. Enumerable.Range(0, n).Select(i => Name((uint)i))],
        progress,
        $"single-decree Paxos sweep, {n} nodes, {crashes} {(crashes == 1 ? "crash" : "crashes")}");

    /// <param name="service">Replaces a node's served service (a test's deliberately broken acceptor); null: the node's own.</param>
    public static SimulationOutcome Run(SimulationOptions options, int n, int crashes, Func<PaxosNode, IGorumsService>? service = null, long maxSteps = 2_000_000)
    {
        ArgumentNullException.ThrowIfNull(options);
        var nodes = Enumerable.Range(0, n).ToDictionary(i => (uint)i, i => Name((uint)i));
        var sim = new Simulator(options);
        foreach (var (id, name) in nodes)
        {
            sim.AddNode(name, id, env =>
            {
                var node = new PaxosNode(id, nodes, env.Network, new PaxosNodeOptions { TimeProvider = env.Time, Random = env.Random, ClientName = env.Name });
                return new SimProcess([service?.Invoke(node) ?? node.Service], node, node.ToString);
            });
        }

        // Nodes 0 and 1 propose; the crashes hit the others, at times drawn from the seed.
        FaultSchedule.Random(sim, [.. Enumerable.Range(2, n - 2).Select(i => Name((uint)i))], crashes, 0, TimeSpan.FromMilliseconds(200), new Random(unchecked((int)options.Seed * 7919)));

        var checker = new ConsensusChecker();
        foreach (var value in Proposed)
        {
            checker.Proposed(value);
        }

        var proposals = Proposed.Select((value, i) =>
        {
            var name = Name((uint)i);
            return sim.InvokeAsync(name, () => sim[name].Get<PaxosNode>().ProposeAsync(value), $"propose \"{value}\"");
        }).ToList();

        bool Observe()
        {
            foreach (var node in sim.Nodes)
            {
                if (node.Process?.Instance is PaxosNode paxos)
                {
                    checker.Observe(node.Name, paxos.Decided, sim.Steps);
                }
            }

            return checker.Violation is not null || proposals.All(p => p.IsCompleted);
        }

        sim.RunUntil(Observe, maxSteps);
        if (checker.Violation is not null)
        {
            return new SimulationOutcome(sim, checker.Violation);
        }

        if (proposals.FirstOrDefault(p => p.IsFaulted) is { } faulted)
        {
            return new SimulationOutcome(sim, $"A proposer failed: {faulted.Exception!.InnerException!.Message}");
        }

        if (!proposals.All(p => p.IsCompleted))
        {
            return new SimulationOutcome(sim, $"No decision after {sim.Steps} steps ({sim.Now.TotalSeconds:0.0} s of virtual time), although the network became stable at {options.Faults.StableAfter.TotalSeconds:0.#} s: the proposers must keep retrying with higher rounds until one value is chosen.");
        }

        var decided = proposals.Select(p => p.Result).Distinct().ToList();
        return decided.Count == 1
            ? new SimulationOutcome(sim, null)
            : new SimulationOutcome(sim, $"Agreement violated: the proposers returned {string.Join(" and ", decided.Select(v => $"\"{v}\""))}; both must return the one chosen value.");
    }
}

namespace PaxosLabs.Simulation;

/// <summary>
/// Shrinks a failing run by replaying it with fewer injected faults (drops and duplicates), in the
/// manner of delta debugging: a candidate is kept when the run still fails and its trace is no
/// longer. Budgeted in runs, so it always ends.
/// </summary>
internal static class Minimizer
{
    /// <summary>The most replays one minimization takes.</summary>
    public const int MaxRuns = 60;

    public static SimulationOptions Minimize(SimulationOptions options, SimulationOutcome failing, Scenario scenario)
    {
        var kept = Enumerable.Range(1, (int)failing.Simulator.FaultsDrawn).Select(i => (long)i).ToList();
        var best = options;
        var bestLength = failing.Simulator.Trace.Events.Count;
        var runs = 0;
        var chunks = 2;
        while (kept.Count > 0 && runs < MaxRuns)
        {
            var size = Math.Max(1, kept.Count / chunks);
            var shrunk = false;
            for (var start = 0; start < kept.Count && runs < MaxRuns; start += size)
            {
                var candidateKept = kept.Take(start).Concat(kept.Skip(start + size)).ToList();
                var candidate = options with { KeptFaults = candidateKept.ToHashSet() };
                runs++;
                var outcome = scenario(candidate);
                if (outcome.Failure is not null && outcome.Simulator.Trace.Events.Count <= bestLength)
                {
                    kept = candidateKept;
                    best = candidate;
                    bestLength = outcome.Simulator.Trace.Events.Count;
                    chunks = Math.Max(chunks - 1, 2);
                    shrunk = true;
                    break;
                }
            }

            if (!shrunk)
            {
                if (size == 1)
                {
                    break;
                }

                chunks = Math.Min(chunks * 2, kept.Count);
            }
        }

        return best;
    }
}

namespace PaxosLabs.Simulation;

/// <summary>
/// Fault schedules for a run, scripted or drawn from a seed: crashes (crash-stop) and partitions
/// that cut one node off until the network becomes stable. Every fault is registered with
/// <see cref="Simulator.At"/>, so it shows in the trace with its description.
/// </summary>
public static class FaultSchedule
{
    /// <summary>Crashes <paramref name="node"/> at <paramref name="at"/> for good.</summary>
    public static void Crash(Simulator simulator, string node, TimeSpan at)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        simulator.At(at, $"crash {node}", () => simulator.Crash(node));
    }

    /// <summary>Cuts <paramref name="node"/> off from every other node from <paramref name="at"/> until the network heals.</summary>
    public static void Isolate(Simulator simulator, string node, TimeSpan at)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        simulator.At(at, $"cut off {node}", () => simulator.Partition([node], simulator.Nodes.Select(n => n.Name).Where(n => n != node)));
    }

    /// <summary>
    /// Draws a schedule: <paramref name="crashes"/> distinct nodes of <paramref name="candidates"/>
    /// crash and <paramref name="isolations"/> others are cut off, each at a time in
    /// [0, <paramref name="horizon"/>). Keep crashes + isolations a minority for liveness.
    /// Returns the schedule as text, in the order drawn.
    /// </summary>
    public static IReadOnlyList<string> Random(Simulator simulator, IReadOnlyList<string> candidates, int crashes, int isolations, TimeSpan horizon, Random random)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(random);
        if (crashes < 0 || isolations < 0 || crashes + isolations > candidates.Count)
        {
            throw new ArgumentException($"Cannot crash {crashes} and cut off {isolations} of {candidates.Count} candidate nodes.");
        }

        var victims = candidates.OrderBy(_ => random.Next()).Take(crashes + isolations).ToList();
        var schedule = new List<string>();
        for (var i = 0; i < victims.Count; i++)
        {
            var at = TimeSpan.FromTicks((long)(random.NextDouble() * horizon.Ticks));
            if (i < crashes)
            {
                Crash(simulator, victims[i], at);
                schedule.Add($"crash {victims[i]} at {at.TotalMilliseconds:0} ms");
            }
            else
            {
                Isolate(simulator, victims[i], at);
                schedule.Add($"cut off {victims[i]} at {at.TotalMilliseconds:0} ms");
            }
        }

        return schedule;
    }
}

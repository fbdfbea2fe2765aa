using System.Globalization;

namespace PaxosLabs.Simulation;

/// <summary>
/// How far a sweep is: seeds run of all, how many failed, wall-clock time since it started, and
/// the seed that just failed (a sweep stops at its first failure to minimize it and write its trace).
/// </summary>
public sealed record SweepProgress(string Name, int Done, int Total, int Failed, TimeSpan Elapsed, long? FailedSeed = null)
{
    /// <summary>"single-decree Paxos, 3 nodes, 1 crash: 60 of 200 seeds run (30 %), 0 failed, 14 s".</summary>
    public override string ToString()
    {
        var seconds = Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        return FailedSeed is { } seed
            ? $"{Name}: seed {seed} failed ({Done} of {Total} seeds run, {seconds} s); replaying it with fewer faults to write its trace, which takes up to {Minimizer.MaxRuns} more runs"
            : $"{Name}: {Done} of {Total} seeds run ({Done * 100 / Math.Max(1, Total)} %), {Failed} failed, {seconds} s";
    }
}

namespace PaxosLabs.Simulation.Checkers;

/// <summary>
/// Safety of a replicated log, checked as the run goes: per-slot agreement (no two replicas
/// execute different commands in the same slot, across crashes and restarts) and in-order
/// execution (a replica executes slots 1, 2, 3, … without skipping).
/// </summary>
public sealed class LogChecker
{
    private readonly Dictionary<ulong, (string Replica, string Command)> _chosen = [];
    private readonly Dictionary<string, ulong> _seen = new(StringComparer.Ordinal);

    /// <summary>The first violation, or null while the run is safe.</summary>
    public string? Violation { get; private set; }

    /// <summary>The highest slot known to be executed somewhere.</summary>
    public ulong HighestSlot { get; private set; }

    /// <summary>
    /// Records the executed log of a replica (slots <paramref name="firstSlot"/>..n in order, each
    /// with a text that identifies its command, e.g. "alice#3 put(x, 1)" or "no-op"; a replica that
    /// compacted its log into a snapshot starts after it). Call it as often as you like; a log that
    /// restarted after a crash may be shorter than before.
    /// </summary>
    public void Observe(string replica, IReadOnlyList<(ulong Slot, string Command)> executed, long step, ulong firstSlot = 1)
    {
        ArgumentNullException.ThrowIfNull(executed);
        if (Violation is not null)
        {
            return;
        }

        // Only what is new since the last look is checked; a shorter log means the replica restarted.
        var last = firstSlot + (ulong)executed.Count - 1;
        var checkedUpTo = _seen.TryGetValue(replica, out var seen) && last >= seen ? seen : 0;
        for (var i = 0; i < executed.Count; i++)
        {
            var (slot, command) = executed[i];
            if (slot != firstSlot + (ulong)i)
            {
                Violation = $"In-order execution violated at step {step}: replica {replica} executed slot {slot} after slot {firstSlot + (ulong)i - 1}; slots must run 1, 2, 3, … without gaps.";
                return;
            }

            if (slot <= checkedUpTo)
            {
                continue;
            }

            if (_chosen.TryGetValue(slot, out var first))
            {
                if (first.Command != command)
                {
                    Violation = $"Agreement violated at step {step}: in slot {slot} replica {first.Replica} executed {first.Command} but replica {replica} executed {command}.";
                    return;
                }
            }
            else
            {
                _chosen[slot] = (replica, command);
                HighestSlot = Math.Max(HighestSlot, slot);
            }
        }

        _seen[replica] = Math.Max(last, firstSlot - 1);
    }
}

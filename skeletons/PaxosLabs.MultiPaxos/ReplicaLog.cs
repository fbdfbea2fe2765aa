namespace PaxosLabs.MultiPaxos;

/// <summary>One executed slot: what was decided there and the response it produced (none for a no-op or a repeat).</summary>
public readonly record struct Execution(ulong Slot, Value Value, Response? Response);

/// <summary>
/// The decided log of a replica: decisions arrive in any order, run strictly in slot order.
/// <see cref="Adu"/> ("all decided up to") is the highest slot such that every slot up to it is
/// decided and executed.
/// </summary>
public sealed class ReplicaLog(KvStateMachine stateMachine)
{
    private readonly SortedDictionary<ulong, Value> _pending = [];
    private readonly List<Value> _executed = []; // slots _first, _first + 1, …, Adu
    private ulong _first = 1;

    public ulong Adu { get; private set; }

    public KvStateMachine StateMachine { get; } = stateMachine;

    /// <summary>Decided slots above adu + 1, waiting for the gap below them to close.</summary>
    public int Buffered => _pending.Count;

    /// <summary>
    /// The decided values of slots <paramref name="from"/>..adu, for a replica that missed them
    /// (from the first slot this log still holds: stage 5 compacts the slots of a snapshot).
    /// </summary>
    public IEnumerable<(ulong Slot, Value Value)> DecidedFrom(ulong from)
    {
        var first = Math.Max(from, _first);
        return _executed.Skip((int)Math.Min(first - _first, (ulong)_executed.Count)).Select((v, i) => (first + (ulong)i, v));
    }

    /// <summary>Stage 5: forgets the decided values of slots up to <paramref name="slot"/> (at most adu), which a snapshot holds.</summary>
    public void Compact(ulong slot)
    {
        slot = Math.Min(slot, Adu);
        if (slot >= _first)
        {
            _executed.RemoveRange(0, (int)(slot - _first + 1));
            _first = slot + 1;
        }
    }

    /// <summary>
    /// Stage 5: the state machine now holds a snapshot of every slot up to <paramref name="adu"/>
    /// (above this log's): adu moves there, the older log is gone, and the buffered decisions that
    /// became runnable run. Returns them, as <see cref="Decide"/> does.
    /// </summary>
    public IReadOnlyList<Execution> Install(ulong adu)
    {
        if (adu <= Adu)
        {
            return [];
        }

        Adu = adu;
        _executed.Clear();
        _first = adu + 1;
        foreach (var old in _pending.Keys.TakeWhile(s => s <= adu).ToList())
        {
            _pending.Remove(old);
        }

        return _pending.Remove(adu + 1, out var next) ? Decide(adu + 1, next) : [];
    }

    /// <summary>Records the decision for <paramref name="slot"/> and runs every slot that became runnable, in order.</summary>
    public IReadOnlyList<Execution> Decide(ulong slot, Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var executed = Run(slot, value);
        _executed.AddRange(executed.Select(e => e.Value)); // kept for replicas that catch up
        return executed;
    }

    private List<Execution> Run(ulong slot, Value value)
    {
        var executed = new List<Execution>();

        // TODO(4.5): Ordered execution: ignore a decision at or below Adu (already executed); buffer the others; then, while slot Adu + 1 is decided, take it out of the buffer, advance Adu, and execute it unless it is a no-op (a no-op only advances Adu). Add an Execution for every executed slot, with the state machine's response (null for a no-op).
        throw new NotImplementedException("TODO(4.5): Ordered execution: ignore a decision at or below Adu (already executed); buffer the others; then, while slot Adu + 1 is decided, take it out of the buffer, advance Adu, and execute it unless it is a no-op (a no-op only advances Adu). Add an Execution for every executed slot, with the state machine's response (null for a no-op). See assignments/04-multipaxos/README.md, task 4.5.");
    }
}

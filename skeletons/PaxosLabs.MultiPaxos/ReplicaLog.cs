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
    private readonly List<Value> _executed = [];

    public ulong Adu { get; private set; }

    public KvStateMachine StateMachine { get; } = stateMachine;

    /// <summary>Decided slots above adu + 1, waiting for the gap below them to close.</summary>
    public int Buffered => _pending.Count;

    /// <summary>The decided values of slots <paramref name="from"/>..adu, for a replica that missed them.</summary>
    public IEnumerable<(ulong Slot, Value Value)> DecidedFrom(ulong from) =>
        _executed.Skip((int)Math.Min(Math.Max(from, 1) - 1, (ulong)_executed.Count)).Select((v, i) => (Math.Max(from, 1) + (ulong)i, v));

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

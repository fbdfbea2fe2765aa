namespace PaxosLabs.Simulation.Checkers;

/// <summary>The operations of a key-value register, the model the linearizability checker replays.</summary>
public enum KvOpKind
{
    /// <summary>Reads the current value ("" when the key is absent).</summary>
    Get,

    /// <summary>Replaces the value with <see cref="KvOperation.Argument"/>.</summary>
    Put,

    /// <summary>Concatenates <see cref="KvOperation.Argument"/> to the current value.</summary>
    Append,
}

/// <summary>
/// One client operation of a history: invoked at <paramref name="Invoke"/>, returned at
/// <paramref name="Return"/> (logical times from the simulator; <see cref="long.MaxValue"/> = never
/// returned, e.g. the client crashed or gave up, so it may or may not have taken effect).
/// Put: <paramref name="Argument"/> is the value. Append: the suffix. Get: "" and
/// <paramref name="Output"/> is the value read ("" when the key is absent); Output is null for an
/// operation that never returned.
/// </summary>
public sealed record KvOperation(int ClientId, KvOpKind Kind, string Key, string Argument, string? Output, long Invoke, long Return)
{
    /// <summary>The time a history uses for an operation that never returned.</summary>
    public const long Never = long.MaxValue;

    /// <summary>True when the client saw a reply; otherwise the operation may or may not have happened.</summary>
    public bool Returned => Return != Never;

    /// <summary>Compact text for explanations, e.g. <c>c1 put(x, "a") [3..5]</c>.</summary>
    public override string ToString() => KvHistoryFormat.Operation(this);
}

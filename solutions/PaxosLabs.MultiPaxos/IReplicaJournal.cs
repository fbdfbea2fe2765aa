namespace PaxosLabs.MultiPaxos;

/// <summary>
/// Stage 5: where a replica keeps its acceptor state and decided log on stable storage (see
/// docs/protocol.md §5). <see cref="ReplicaState"/> calls the record methods under its lock, in the
/// order its state changes, and <see cref="MakeDurable"/> outside it, before an answer that depends
/// on those records leaves the replica. Positions are logical: the bytes appended since the journal
/// opened, growing forever (a compaction does not reset them).
/// </summary>
public interface IReplicaJournal
{
    /// <summary>What stable storage holds, read once when the replica starts.</summary>
    RecoveredState Recover();

    /// <summary>The acceptor promised (or accepted in) round <paramref name="rnd"/>, above every round before.</summary>
    void Promised(long rnd);

    /// <summary>The acceptor voted: it accepted <c>vote.Vval</c> for <c>vote.Slot</c> in round <c>vote.Vrnd</c>.</summary>
    void Voted(PValue vote);

    /// <summary>A slot was decided and executed here.</summary>
    void Decided(ulong slot, Value value);

    /// <summary>How far the log is written, flushed or not.</summary>
    long Appended { get; }

    /// <summary>Returns once every record up to position <paramref name="upTo"/> is on stable storage.</summary>
    void MakeDurable(long upTo);

    /// <summary>
    /// Replaces what storage holds by <paramref name="snapshot"/> and the state above it: the round,
    /// the votes of slots above the snapshot, and the decisions executed after it. Durable on return.
    /// </summary>
    void Compact(Snapshot snapshot, long rnd, IReadOnlyCollection<PValue> votes, IReadOnlyCollection<LearnMsg> decided);
}

/// <summary>A replica's state as stable storage held it: the newest snapshot (or none), then the acceptor's round and votes, and the decisions after the snapshot, ascending.</summary>
public sealed record RecoveredState(Snapshot? Snapshot, long Rnd, IReadOnlyList<PValue> Votes, IReadOnlyList<LearnMsg> Decided)
{
    /// <summary>Nothing on storage: a replica's first start.</summary>
    public static RecoveredState Empty { get; } = new(null, Rounds.NoRound, [], []);
}

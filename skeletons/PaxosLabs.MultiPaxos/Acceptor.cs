namespace PaxosLabs.MultiPaxos;

/// <summary>
/// The acceptor of Multi-Paxos: one promised round for all slots and, per slot, the vote it cast
/// last. Its decisions are pure functions of its state and the message; the replica guards it
/// with a lock.
/// </summary>
public sealed class Acceptor
{
    private readonly SortedDictionary<ulong, PValue> _votes = [];

    /// <summary>The highest round promised or accepted, for every slot.</summary>
    public long Rnd { get; private set; } = Rounds.NoRound;

    /// <summary>The vote for each slot, ascending by slot.</summary>
    public IReadOnlyCollection<PValue> Votes => _votes.Values;

    public PromiseMsg Prepare(PrepareMsg prepare)
    {
        ArgumentNullException.ThrowIfNull(prepare);

        // TODO(4.1): Prepare: only when Crnd > Rnd (strict): set Rnd = Crnd and promise Promise{Rnd = Crnd} listing every vote for a slot >= FromSlot, ascending by slot. Otherwise reply a NACK Promise{Rnd = Rnd} with no votes, so the proposer learns the round to beat.
        throw new NotImplementedException("TODO(4.1): Prepare: only when Crnd > Rnd (strict): set Rnd = Crnd and promise Promise{Rnd = Crnd} listing every vote for a slot >= FromSlot, ascending by slot. Otherwise reply a NACK Promise{Rnd = Rnd} with no votes, so the proposer learns the round to beat. See assignments/04-multipaxos/README.md, task 4.1.");
    }

    public LearnMsg Accept(AcceptMsg accept)
    {
        ArgumentNullException.ThrowIfNull(accept);

        // TODO(4.1): Accept: only when Rnd >= the acceptor's Rnd: set Rnd = Rnd, store the vote (Rnd, Val) for the slot, overwriting a vote of an older round, and reply Learn{Slot, Rnd, Val}. Otherwise reply a NACK Learn{Slot, Rnd = the acceptor's Rnd} without a value.
        throw new NotImplementedException("TODO(4.1): Accept: only when Rnd >= the acceptor's Rnd: set Rnd = Rnd, store the vote (Rnd, Val) for the slot, overwriting a vote of an older round, and reply Learn{Slot, Rnd, Val}. Otherwise reply a NACK Learn{Slot, Rnd = the acceptor's Rnd} without a value. See assignments/04-multipaxos/README.md, task 4.1.");
    }

    /// <summary>
    /// The value decided in <paramref name="slot"/> as this acceptor's vote holds it, when it voted for
    /// that very value, else <paramref name="decided"/>: the log keeps the vote's copy, so a replica
    /// holds one copy of each decided value rather than two.
    /// </summary>
    public Value Shared(ulong slot, Value decided) =>
        _votes.TryGetValue(slot, out var vote) && vote.Vval is { } voted && voted.Equals(decided) ? voted : decided;

    /// <summary>Stage 5: takes the state a restarted replica recovered from stable storage.</summary>
    public void Restore(long rnd, IEnumerable<PValue> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        Rnd = rnd;
        _votes.Clear();
        foreach (var vote in votes)
        {
            _votes[vote.Slot] = vote.Clone();
        }
    }

    /// <summary>Stage 5: forgets the votes of every slot up to <paramref name="slot"/>, which a snapshot holds decided.</summary>
    public void Forget(ulong slot)
    {
        foreach (var old in _votes.Keys.TakeWhile(s => s <= slot).ToList())
        {
            _votes.Remove(old);
        }
    }
}

namespace PaxosLabs.SinglePaxos;

/// <summary>
/// The acceptor of single-decree Paxos: the highest round it has promised (<see cref="Rnd"/>) and
/// the vote it cast last (<see cref="Vrnd"/>, <see cref="Vval"/>). Its decisions are pure functions
/// of its state and the message, so they can be checked as tables; the node guards it with a lock.
/// </summary>
public sealed class Acceptor
{
    /// <summary>The highest round promised or accepted; <see cref="Rounds.NoRound"/> at first.</summary>
    public long Rnd { get; private set; } = Rounds.NoRound;

    /// <summary>The round of the last vote; <see cref="Rounds.NoRound"/> while it has not voted.</summary>
    public long Vrnd { get; private set; } = Rounds.NoRound;

    /// <summary>The value of the last vote; "" while it has not voted.</summary>
    public string Vval { get; private set; } = "";

    /// <summary>Phase 1b: promise a higher round, or NACK with the round to beat.</summary>
    public PromiseMsg Prepare(PrepareMsg prepare)
    {
        ArgumentNullException.ThrowIfNull(prepare);

        // TODO(2.1): Prepare: only when Crnd > Rnd (strict): set Rnd = Crnd and reply Promise{Rnd = Crnd, Vrnd, Vval} with the last vote (or no value: Vrnd = NoRound, Vval = ""). Otherwise reply a NACK Promise{Rnd = Rnd} with no value, so the proposer learns the round to beat; a NACK changes nothing.
        throw new NotImplementedException("TODO(2.1): Prepare: only when Crnd > Rnd (strict): set Rnd = Crnd and reply Promise{Rnd = Crnd, Vrnd, Vval} with the last vote (or no value: Vrnd = NoRound, Vval = \"\"). Otherwise reply a NACK Promise{Rnd = Rnd} with no value, so the proposer learns the round to beat; a NACK changes nothing. See assignments/02-single-paxos/README.md, task 2.1.");
    }

    /// <summary>Phase 2b: vote for a value in a round at least as high as the promised one, or NACK.</summary>
    public LearnMsg Accept(AcceptMsg accept)
    {
        ArgumentNullException.ThrowIfNull(accept);

        // TODO(2.2): Accept: only when Rnd >= the acceptor's Rnd: set Rnd = Vrnd = the accept's Rnd and Vval = its Val (a later round overwrites an older vote) and reply Learn{Rnd, Val}. Otherwise reply a NACK Learn{Rnd = the acceptor's Rnd, Val = ""}; a NACK changes nothing.
        throw new NotImplementedException("TODO(2.2): Accept: only when Rnd >= the acceptor's Rnd: set Rnd = Vrnd = the accept's Rnd and Vval = its Val (a later round overwrites an older vote) and reply Learn{Rnd, Val}. Otherwise reply a NACK Learn{Rnd = the acceptor's Rnd, Val = \"\"}; a NACK changes nothing. See assignments/02-single-paxos/README.md, task 2.2.");
    }

    public override string ToString() => $"rnd={Rnd} vrnd={Vrnd} vval=\"{Vval}\"";
}

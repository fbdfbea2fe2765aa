namespace PaxosLabs.SinglePaxos;

/// <summary>
/// The quorum functions of single-decree Paxos for a configuration of <c>n</c> acceptors. Both are
/// pure: they never modify the replies, and the order in which replies arrived does not matter.
/// </summary>
public sealed class PaxosQSpec : IPaxosQSpec
{
    /// <param name="n">How many acceptors the configuration has.</param>
    public PaxosQSpec(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        Nodes = n;
    }

    /// <summary>How many acceptors the configuration has.</summary>
    public int Nodes { get; }

    /// <summary>A majority of <see cref="Nodes"/>: any two quorums share an acceptor (for n = 4 that is 3, not 2).</summary>
    public int QuorumSize => 0; // TODO(2.3)

    /// <summary>Phase 1: done at a quorum of promises for the request's round, with the vote of the highest round among them.</summary>
    public (PromiseMsg? Result, bool Done) PrepareQF(PrepareMsg request, IReadOnlyDictionary<uint, PromiseMsg> replies)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(replies);

        // TODO(2.3): PrepareQF: a promise is valid only if its Rnd equals the request's Crnd (a NACK carries another round and never counts). Below QuorumSize valid promises: not done. At a quorum: done with a new Promise{Rnd = Crnd} carrying the Vrnd and Vval of the valid promise with the highest Vrnd; when none reports a value, no value (Vrnd = NoRound, Vval = ""). Do not modify the replies.
        throw new NotImplementedException("TODO(2.3): PrepareQF: a promise is valid only if its Rnd equals the request's Crnd (a NACK carries another round and never counts). Below QuorumSize valid promises: not done. At a quorum: done with a new Promise{Rnd = Crnd} carrying the Vrnd and Vval of the valid promise with the highest Vrnd; when none reports a value, no value (Vrnd = NoRound, Vval = \"\"). Do not modify the replies. See assignments/02-single-paxos/README.md, task 2.3.");
    }

    /// <summary>Phase 2: done at a quorum of learns that match the accept in round and value.</summary>
    public (LearnMsg? Result, bool Done) AcceptQF(AcceptMsg request, IReadOnlyDictionary<uint, LearnMsg> replies)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(replies);

        // TODO(2.4): AcceptQF: a learn is valid only if its Rnd and Val both equal the accept's (a NACK never counts). Below QuorumSize valid learns: not done. At a quorum: done with Learn{Rnd, Val} of the accept. Do not modify the replies.
        throw new NotImplementedException("TODO(2.4): AcceptQF: a learn is valid only if its Rnd and Val both equal the accept's (a NACK never counts). Below QuorumSize valid learns: not done. At a quorum: done with Learn{Rnd, Val} of the accept. Do not modify the replies. See assignments/02-single-paxos/README.md, task 2.4.");
    }
}

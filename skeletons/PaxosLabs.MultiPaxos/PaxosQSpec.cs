namespace PaxosLabs.MultiPaxos;

/// <summary>The quorum functions of Multi-Paxos for a configuration of <c>n</c> replicas.</summary>
public sealed class PaxosQSpec : IMultiPaxosQSpec
{
    public PaxosQSpec(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        Nodes = n;
    }

    public int Nodes { get; }

    /// <summary>A majority, n / 2 + 1: any two quorums share a replica (for n = 4 that is 3, not 2).</summary>
    public int QuorumSize => Nodes / 2 + 1;

    /// <summary>
    /// Phase 1, the heart of a leader change: at a quorum of valid promises, the highest-round vote
    /// of every reported slot from FromSlot on, and a no-op in every slot of
    /// [FromSlot, highest reported slot] that no promise reports.
    /// </summary>
    public (PromiseMsg? Result, bool Done) PrepareQF(PrepareMsg request, IReadOnlyDictionary<uint, PromiseMsg> replies)
    {
        // TODO(4.2): PrepareQF: a promise is valid only if its Rnd equals the request's Crnd. Below a quorum of valid promises, not done. At a quorum: for every slot >= FromSlot that a valid promise reports, keep the vote with the highest Vrnd; fill EVERY slot in [FromSlot, highest reported slot] that no promise reports with a no-op PValue{Slot, Vrnd = Crnd, Vval = {IsNoop = true}} (holes below the lowest reported slot too). Result: Promise{Rnd = Crnd, Accepted = those votes ascending by slot}; empty when nothing is reported. Never modify the replies.
        throw new NotImplementedException("TODO(4.2): PrepareQF: a promise is valid only if its Rnd equals the request's Crnd. Below a quorum of valid promises, not done. At a quorum: for every slot >= FromSlot that a valid promise reports, keep the vote with the highest Vrnd; fill EVERY slot in [FromSlot, highest reported slot] that no promise reports with a no-op PValue{Slot, Vrnd = Crnd, Vval = {IsNoop = true}} (holes below the lowest reported slot too). Result: Promise{Rnd = Crnd, Accepted = those votes ascending by slot}; empty when nothing is reported. Never modify the replies. See assignments/04-multipaxos/README.md, task 4.2.");
    }

    /// <summary>Phase 2: done at a quorum of learns that match the accept in slot, round and value.</summary>
    public (LearnMsg? Result, bool Done) AcceptQF(AcceptMsg request, IReadOnlyDictionary<uint, LearnMsg> replies)
    {
        // TODO(4.3): AcceptQF: a learn is valid only if its Slot, Rnd and Val all equal the accept's. Done at a quorum of valid learns, with one of them; not done below.
        throw new NotImplementedException("TODO(4.3): AcceptQF: a learn is valid only if its Slot, Rnd and Val all equal the accept's. Done at a quorum of valid learns, with one of them; not done below. See assignments/04-multipaxos/README.md, task 4.3.");
    }

    /// <summary>A client's request: done at a quorum of answers for that request that are not errors.</summary>
    public (Response? Result, bool Done) ClientHandleQF(Value request, IReadOnlyDictionary<uint, Response> replies)
    {
        // TODO(4.3): ClientHandleQF: a response is valid only if it has the request's ClientId and ClientSeq and no Error. Done at a quorum of valid responses, with one of them (they agree: every replica executes the same log).
        throw new NotImplementedException("TODO(4.3): ClientHandleQF: a response is valid only if it has the request's ClientId and ClientSeq and no Error. Done at a quorum of valid responses, with one of them (they agree: every replica executes the same log). See assignments/04-multipaxos/README.md, task 4.3.");
    }

    /// <summary>Catch-up goes to the leader alone: its one reply is the answer.</summary>
    public (CatchupReply? Result, bool Done) CatchupQF(CatchupRequest request, IReadOnlyDictionary<uint, CatchupReply> replies) =>
        replies.Count > 0 ? (replies.OrderBy(r => r.Key).First().Value, true) : (null, false);
}

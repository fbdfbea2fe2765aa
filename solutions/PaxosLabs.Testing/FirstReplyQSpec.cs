using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Testing;

/// <summary>
/// Quorum functions that are done at the first reply, whatever it says: a probe that sees one
/// replica's answer as it came over the wire (a NACK, a learn without its value, an error response).
/// </summary>
public sealed class FirstReplyQSpec : IMultiPaxosQSpec
{
    public (PromiseMsg? Result, bool Done) PrepareQF(PrepareMsg request, IReadOnlyDictionary<uint, PromiseMsg> replies) => First(replies);

    public (LearnMsg? Result, bool Done) AcceptQF(AcceptMsg request, IReadOnlyDictionary<uint, LearnMsg> replies) => First(replies);

    public (Response? Result, bool Done) ClientHandleQF(Value request, IReadOnlyDictionary<uint, Response> replies) => First(replies);

    public (CatchupReply? Result, bool Done) CatchupQF(CatchupRequest request, IReadOnlyDictionary<uint, CatchupReply> replies) => First(replies);

    private static (T? Result, bool Done) First<T>(IReadOnlyDictionary<uint, T> replies)
        where T : class => replies.Count > 0 ? (replies.Values.First(), true) : (null, false);
}

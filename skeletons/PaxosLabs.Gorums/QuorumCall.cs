using Google.Protobuf;

namespace PaxosLabs.Gorums;

/// <summary>
/// The quorum call: ask every node of a configuration at once and finish as soon as the replies
/// so far are enough, as the quorum function decides.
/// </summary>
public static class QuorumCall
{
    /// <summary>
    /// Sends <paramref name="request"/> to every node and returns the quorum function's result the
    /// first time it reports done. Fails with <see cref="QuorumCallException"/>: Incomplete when
    /// every contacted node has replied or failed without a quorum, Cancelled when the caller's
    /// token fires, DeadlineExceeded when <paramref name="timeout"/> passes.
    /// </summary>
    public static async Task<TResult> InvokeAsync<TRequest, TReply, TResult>(
        Configuration configuration,
        RpcMethod<TRequest, TReply> method,
        TRequest request,
        QuorumFunction<TRequest, TReply, TResult> quorumFunction,
        PerNodeRequest<TRequest>? perNode = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>
        where TReply : IMessage<TReply>
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(quorumFunction);

        // TODO(1.1): Send the request with configuration.StartCall, then collect replies: evaluate the quorum function after each valid reply and return its result the first time it is done; record each failed node's error; when every contacted node has answered without a quorum, throw QuorumCallException(Incomplete). Dispose the call on every path so late replies leave no pending state.
        throw new NotImplementedException("TODO(1.1): Send the request with configuration.StartCall, then collect replies: evaluate the quorum function after each valid reply and return its result the first time it is done; record each failed node's error; when every contacted node has answered without a quorum, throw QuorumCallException(Incomplete). Dispose the call on every path so late replies leave no pending state. See assignments/01-quorum-calls/README.md, task 1.1.");
    }

    /// <summary>
    /// The error for a call that stopped waiting because its token fired: Cancelled when the
    /// caller cancelled, DeadlineExceeded when the call's own deadline passed.
    /// </summary>
    public static QuorumCallException Stopped<TReply>(PendingCall<TReply> call, int replyCount, IReadOnlyDictionary<uint, Exception> nodeErrors)
        where TReply : IMessage<TReply>
    {
        ArgumentNullException.ThrowIfNull(call);

        // TODO(1.2): Tell the two causes apart: the caller's token (call.CallerToken) means Cancelled; otherwise the deadline passed (call.DeadlinePassed). Return a QuorumCallException with that cause, the reply count and the node errors.
        throw new NotImplementedException("TODO(1.2): Tell the two causes apart: the caller's token (call.CallerToken) means Cancelled; otherwise the deadline passed (call.DeadlinePassed). Return a QuorumCallException with that cause, the reply count and the node errors. See assignments/01-quorum-calls/README.md, task 1.2.");
    }
}

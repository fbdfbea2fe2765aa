using Google.Protobuf;

namespace PaxosLabs.Gorums;

/// <summary>
/// Describes one method of a service: its full name on the wire and how to read its messages.
/// The code generator emits one per rpc of an annotated service.
/// </summary>
public sealed class RpcMethod<TRequest, TReply>
    where TRequest : IMessage<TRequest>
    where TReply : IMessage<TReply>
{
    public RpcMethod(string fullName, MessageParser<TRequest> requestParser, MessageParser<TReply> replyParser)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fullName);
        FullName = fullName;
        RequestParser = requestParser ?? throw new ArgumentNullException(nameof(requestParser));
        ReplyParser = replyParser ?? throw new ArgumentNullException(nameof(replyParser));
    }

    /// <summary>"package.Service/Method", as in gRPC.</summary>
    public string FullName { get; }

    public MessageParser<TRequest> RequestParser { get; }

    public MessageParser<TReply> ReplyParser { get; }

    public override string ToString() => FullName;
}

/// <summary>
/// A quorum function: given the request and the replies received so far (node id → reply), it
/// says whether the call is done and with which result. It must be pure: no mutation of its
/// inputs, no dependence on the order in which replies arrived.
/// </summary>
public delegate (TResult? Result, bool Done) QuorumFunction<in TRequest, TReply, TResult>(
    TRequest request, IReadOnlyDictionary<uint, TReply> replies);

/// <summary>
/// A correctable quorum function: like <see cref="QuorumFunction{TRequest, TReply, TResult}"/>,
/// and it also grades its current result with a level; a higher level is a better result.
/// </summary>
public delegate (TResult? Result, int Level, bool Done) CorrectableFunction<in TRequest, TReply, TResult>(
    TRequest request, IReadOnlyDictionary<uint, TReply> replies);

/// <summary>Builds the request for one node from the call's request; null skips the node.</summary>
public delegate TRequest? PerNodeRequest<TRequest>(TRequest request, uint nodeId);

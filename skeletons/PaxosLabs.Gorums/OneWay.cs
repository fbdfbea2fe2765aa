using Google.Protobuf;
using PaxosLabs.Gorums.Protocol;

namespace PaxosLabs.Gorums;

/// <summary>One-way calls: the message is handed to the transport and no reply exists.</summary>
public static class OneWay
{
    /// <summary>
    /// Hands <paramref name="request"/> (or each node's own message; null skips a node) to the
    /// transport of every node of the configuration. Completes once every message is queued.
    /// </summary>
    public static Task MulticastAsync<TRequest, TReply>(
        Configuration configuration,
        RpcMethod<TRequest, TReply> method,
        TRequest request,
        PerNodeRequest<TRequest>? perNode = null,
        CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>
        where TReply : IMessage<TReply>
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        // TODO(1.3): Multicast: send one envelope per node of the configuration with Send(node, seq, method, message), all with the same sequence number (configuration.Manager.NextSeq()); use the per-node message when perNode is given and skip a node whose message is null. Nothing is awaited.
        throw new NotImplementedException("TODO(1.3): Multicast: send one envelope per node of the configuration with Send(node, seq, method, message), all with the same sequence number (configuration.Manager.NextSeq()); use the per-node message when perNode is given and skip a node whose message is null. Nothing is awaited. See assignments/01-quorum-calls/README.md, task 1.3.");
    }

    /// <summary>Hands <paramref name="request"/> to the transport of one node.</summary>
    public static Task UnicastAsync<TRequest, TReply>(
        Node node,
        RpcMethod<TRequest, TReply> method,
        TRequest request,
        CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>
        where TReply : IMessage<TReply>
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        Send(node, node.Manager.NextSeq(), method, request);
        return Task.CompletedTask;
    }

    /// <summary>Queues one one-way envelope for a node; a node that is down misses it, as on a real network.</summary>
    internal static void Send<TRequest, TReply>(Node node, ulong seq, RpcMethod<TRequest, TReply> method, TRequest message)
        where TRequest : IMessage<TRequest>
        where TReply : IMessage<TReply>
    {
        node.SendOneWay(new Envelope { Seq = seq, Method = method.FullName, Payload = Payload.Of(message) });
    }
}

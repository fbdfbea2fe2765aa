using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace PaxosLabs.Gorums;

/// <summary>One result of a correctable call, with the level the quorum function gave it.</summary>
public readonly record struct Correction<TResult>(TResult Result, int Level, bool Done);

/// <summary>
/// A correctable quorum call: it yields a result each time the quorum function grades the
/// replies so far higher than before, and ends after the first result marked done or once every
/// node has answered.
/// </summary>
public static class CorrectableCall
{
    public static async IAsyncEnumerable<Correction<TResult>> InvokeAsync<TRequest, TReply, TResult>(
        Configuration configuration,
        RpcMethod<TRequest, TReply> method,
        TRequest request,
        CorrectableFunction<TRequest, TReply, TResult> quorumFunction,
        PerNodeRequest<TRequest>? perNode = null,
        TimeSpan? timeout = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>
        where TReply : IMessage<TReply>
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(quorumFunction);
        using var call = configuration.StartCall(method, request, perNode, timeout, cancellationToken);
        var replies = new Dictionary<uint, TReply>();
        var errors = new Dictionary<uint, Exception>();
        var bestLevel = int.MinValue;
        while (replies.Count + errors.Count < call.Contacted)
        {
            NodeReply<TReply> next;
            try
            {
                next = await call.NextAsync();
            }
            catch (OperationCanceledException)
            {
                throw QuorumCall.Stopped(call, replies.Count, errors);
            }

            if (next.Error is not null)
            {
                errors[next.NodeId] = next.Error;
                continue;
            }

            replies[next.NodeId] = next.Reply!;
            var (result, level, done) = quorumFunction(request, replies);
            if (result is not null && (level > bestLevel || done))
            {
                bestLevel = level;
                yield return new Correction<TResult>(result, level, done);
            }

            if (done)
            {
                yield break;
            }
        }

        if (bestLevel == int.MinValue)
        {
            throw new QuorumCallException(QuorumCallError.Incomplete, replies.Count, errors);
        }
    }
}

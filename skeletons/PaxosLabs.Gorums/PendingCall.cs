using System.Threading.Channels;
using Google.Protobuf;
using PaxosLabs.Gorums.Protocol;

namespace PaxosLabs.Gorums;

/// <summary>One reply or one failure of a node, as a call sees it.</summary>
public readonly record struct NodeReply<TReply>(uint NodeId, TReply? Reply, Exception? Error);

/// <summary>
/// A call that has been sent and waits for replies: one per contacted node, each either a reply
/// or an error. Disposing it forgets the call at every node, so late replies leave no trace.
/// </summary>
public sealed class PendingCall<TReply> : IDisposable
    where TReply : IMessage<TReply>
{
    private readonly Channel<NodeResponse> _responses =
        Channel.CreateUnbounded<NodeResponse>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<Node> _contacted = [];
    private readonly Manager _manager;
    private readonly string _method;
    private readonly MessageParser<TReply> _parser;
    private readonly ulong _seq;
    private readonly long _startedAt;
    private readonly CancellationTokenSource? _deadline;
    private readonly CancellationTokenSource? _linked;
    private readonly CancellationToken _stop;
    private readonly Action<NodeResponse> _onResponse;
    private bool _disposed;

    internal PendingCall(Manager manager, string method, MessageParser<TReply> parser, TimeSpan? timeout, CancellationToken callerToken)
    {
        _manager = manager;
        _method = method;
        _parser = parser;
        _seq = manager.NextSeq();
        _startedAt = manager.Time.GetTimestamp();
        CallerToken = callerToken;
        _deadline = timeout is { } t ? new CancellationTokenSource(t, manager.Time) : null;
        // A linked source only when both can fire: most calls have one token or none (hot path).
        _linked = _deadline is not null && callerToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(callerToken, _deadline.Token) : null;
        _stop = _linked?.Token ?? _deadline?.Token ?? callerToken;
        _onResponse = response => _responses.Writer.TryWrite(response);
        GorumsMetrics.Calls.Add(1);
    }

    /// <summary>How many nodes the request went to: the number of responses to expect.</summary>
    public int Contacted => _contacted.Count;

    /// <summary>The caller's token: when it fires, the call is Cancelled.</summary>
    public CancellationToken CallerToken { get; }

    /// <summary>True once the call's deadline has passed.</summary>
    public bool DeadlinePassed => _deadline?.IsCancellationRequested == true;

    /// <summary>
    /// Waits for the next reply or node failure. Throws <see cref="OperationCanceledException"/>
    /// when the caller cancels or the deadline passes.
    /// </summary>
    public async ValueTask<NodeReply<TReply>> NextAsync()
    {
        var response = await _responses.Reader.ReadAsync(_stop);
        if (response.Error is not null)
        {
            GorumsMetrics.Errors.Add(1);
            return new NodeReply<TReply>(response.NodeId, default, response.Error);
        }

        GorumsMetrics.Replies.Add(1);
        try
        {
            return new NodeReply<TReply>(response.NodeId, _parser.ParseFrom(response.Payload), null);
        }
        catch (InvalidProtocolBufferException e)
        {
            return new NodeReply<TReply>(response.NodeId, default, new NodeException(response.NodeId, $"malformed reply to {_method}", e));
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var node in _contacted)
        {
            node.Forget(_seq);
        }

        _responses.Writer.TryComplete();
        _linked?.Dispose();
        _deadline?.Dispose();
        GorumsMetrics.Latency.Record(_manager.Time.GetElapsedTime(_startedAt).TotalMilliseconds);
    }

    /// <summary>Sends the serialized request to a node; every node of a call shares one response callback.</summary>
    internal void SendTo(Node node, ByteString payload)
    {
        _contacted.Add(node);
        node.Send(new Envelope { Seq = _seq, Method = _method, Payload = payload }, _onResponse);
    }
}

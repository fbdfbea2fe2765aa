using System.Threading.Tasks.Sources;
using Google.Protobuf;
using PaxosLabs.Gorums.Protocol;

namespace PaxosLabs.Gorums;

/// <summary>One reply or one failure of a node, as a call sees it.</summary>
public readonly record struct NodeReply<TReply>(uint NodeId, TReply? Reply, Exception? Error);

/// <summary>
/// A call that has been sent and waits for replies: one per contacted node, each either a reply
/// or an error. Disposing it forgets the call at every node, so late replies leave no trace.
/// </summary>
/// <remarks>
/// Replies arrive on the transport's threads and wait in a small queue until the caller asks for
/// them; a caller that asks first waits on one reusable <see cref="IValueTaskSource{T}"/>, so
/// waiting for a reply allocates nothing. Its continuation never runs on the thread that delivered
/// the reply (a stream's reader must not run the caller's code); it runs on the caller's
/// synchronization context when there is one, as an awaited task's would.
/// </remarks>
public sealed class PendingCall<TReply> : IDisposable, IValueTaskSource<NodeReply<TReply>>
    where TReply : IMessage<TReply>
{
    private readonly Lock _gate = new();
    private readonly List<Node> _contacted = [];
    private readonly Manager _manager;
    private readonly string _method;
    private readonly MessageParser<TReply> _parser;
    private readonly ulong _seq;
    private readonly long _startedAt;
    private readonly ITimer? _deadline; // a timer, not a token source: one object per call, and no linked source with the caller's token
    private readonly CancellationTokenRegistration _cancelled;
    private volatile bool _deadlinePassed;
    private readonly Action<NodeResponse> _onResponse;
    private ManualResetValueTaskSourceCore<NodeReply<TReply>> _waiter = new() { RunContinuationsAsynchronously = true };
    private Queue<NodeReply<TReply>>? _arrived;
    private bool _waiting;
    private bool _disposed;

    internal PendingCall(Manager manager, string method, MessageParser<TReply> parser, TimeSpan? timeout, CancellationToken callerToken)
    {
        _manager = manager;
        _method = method;
        _parser = parser;
        _seq = manager.NextSeq();
        _startedAt = manager.Time.GetTimestamp();
        CallerToken = callerToken;
        _onResponse = OnResponse;
        _cancelled = callerToken.UnsafeRegister(static state => ((PendingCall<TReply>)state!).OnStopped(), this); // nothing to register for a token that cannot fire
        _deadline = timeout is { } t ? manager.Time.CreateTimer(static state => ((PendingCall<TReply>)state!).OnDeadline(), this, t, Timeout.InfiniteTimeSpan) : null;
        GorumsMetrics.Calls.Add(1);
    }

    /// <summary>How many nodes the request went to: the number of responses to expect.</summary>
    public int Contacted => _contacted.Count;

    /// <summary>The caller's token: when it fires, the call is Cancelled.</summary>
    public CancellationToken CallerToken { get; }

    /// <summary>True once the call's deadline has passed.</summary>
    public bool DeadlinePassed => _deadlinePassed;

    private bool Stopped => _deadlinePassed || CallerToken.IsCancellationRequested;

    /// <summary>
    /// Waits for the next reply or node failure. Throws <see cref="OperationCanceledException"/>
    /// once the caller has cancelled or the deadline has passed, even with replies queued: a
    /// stopped call hands out nothing more (a call cancelled before it starts is Cancelled however
    /// fast its nodes answer). One wait at a time: await each result before asking for the next.
    /// </summary>
    public ValueTask<NodeReply<TReply>> NextAsync()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Stopped)
            {
                return ValueTask.FromException<NodeReply<TReply>>(StoppedError());
            }

            if (_arrived is { Count: > 0 })
            {
                return new ValueTask<NodeReply<TReply>>(_arrived.Dequeue());
            }

            if (_waiting)
            {
                throw new InvalidOperationException("NextAsync was called again before the previous call's result was awaited; await each reply before asking for the next.");
            }

            _waiting = true;
            _waiter.Reset();
            return new ValueTask<NodeReply<TReply>>(this, _waiter.Version);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        foreach (var node in _contacted)
        {
            node.Forget(_seq);
        }

        _cancelled.Dispose();
        _deadline?.Dispose();
        Wake(static () => new ObjectDisposedException(nameof(PendingCall<TReply>), "the call was disposed while waiting for a reply"));
        GorumsMetrics.Latency.Record(_manager.Time.GetElapsedTime(_startedAt).TotalMilliseconds);
    }

    NodeReply<TReply> IValueTaskSource<NodeReply<TReply>>.GetResult(short token) => _waiter.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<NodeReply<TReply>>.GetStatus(short token) => _waiter.GetStatus(token);

    void IValueTaskSource<NodeReply<TReply>>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waiter.OnCompleted(continuation, state, token, flags);

    /// <summary>Sends the serialized request to a node; every node of a call shares one response callback.</summary>
    internal void SendTo(Node node, ByteString payload)
    {
        _contacted.Add(node);
        node.Send(new Envelope { Seq = _seq, Method = _method, Payload = payload }, _onResponse);
    }

    /// <summary>A node's reply or failure, on the transport's thread: hand it to the waiting caller, or queue it.</summary>
    private void OnResponse(NodeResponse response)
    {
        var reply = Decode(response);
        lock (_gate)
        {
            if (_disposed)
            {
                return; // the call has ended: a late reply leaves no trace
            }

            if (!_waiting)
            {
                (_arrived ??= new Queue<NodeReply<TReply>>()).Enqueue(reply);
                return;
            }

            _waiting = false;
        }

        _waiter.SetResult(reply);
    }

    private void OnDeadline()
    {
        _deadlinePassed = true;
        OnStopped();
    }

    private void OnStopped() => Wake(StoppedError);

    /// <summary>Why waiting stopped: the caller's token (which the exception carries), else the deadline.</summary>
    private OperationCanceledException StoppedError() => CallerToken.IsCancellationRequested
        ? new OperationCanceledException(CallerToken)
        : new OperationCanceledException($"the call's deadline passed ({_method})");

    /// <summary>Fails a waiting caller, if there is one.</summary>
    private void Wake(Func<Exception> error)
    {
        lock (_gate)
        {
            if (!_waiting)
            {
                return;
            }

            _waiting = false;
        }

        _waiter.SetException(error());
    }

    private NodeReply<TReply> Decode(NodeResponse response)
    {
        if (response.Error is not null)
        {
            GorumsMetrics.Errors.Add(1);
            return new NodeReply<TReply>(response.NodeId, default, response.Error);
        }

        GorumsMetrics.Replies.Add(1);
        try
        {
            return new NodeReply<TReply>(response.NodeId, Payload.Read(_parser, response.Payload!), null);
        }
#pragma warning disable CA1031 // this runs on the transport's thread: a reply that cannot be read is that node's error, never the stream's
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new NodeReply<TReply>(response.NodeId, default, new NodeException(response.NodeId, $"malformed reply to {_method}", e));
        }
    }
}

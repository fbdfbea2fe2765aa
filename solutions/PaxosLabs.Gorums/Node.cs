using Google.Protobuf;
using PaxosLabs.Gorums.Protocol;
using PaxosLabs.Gorums.Transport;

namespace PaxosLabs.Gorums;

/// <summary>One reply, or one failure, from one node.</summary>
public readonly record struct NodeResponse(uint NodeId, ByteString? Payload, Exception? Error);

/// <summary>
/// A server as the client sees it: its id and address, its link's health, and the table of calls
/// waiting for its replies. Owned by a <see cref="Manager"/>; shared by every configuration.
/// </summary>
public sealed class Node : ILinkHandler
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, Pending> _pending = [];
    private readonly TimeProvider _time;
    private INodeLink? _link;
    private Exception? _linkError;
    private double _latencyMs = double.NaN;

    internal Node(uint id, string address, Manager manager)
    {
        Id = id;
        Address = address;
        Manager = manager;
        _time = manager.Time;
    }

    /// <summary>The manager that owns this node's connection.</summary>
    public Manager Manager { get; }

    public uint Id { get; }

    public string Address { get; }

    public LinkState State { get; private set; } = LinkState.Connecting;

    /// <summary>
    /// The last error the link reported, or a reply carried, for this node, if any. A call refused
    /// because the link is down does not replace it: the call's error wraps the link's.
    /// </summary>
    public Exception? LastError { get; private set; }

    /// <summary>Smoothed round-trip time of replies, or null before the first reply.</summary>
    public TimeSpan? Latency
    {
        get
        {
            lock (_gate)
            {
                return double.IsNaN(_latencyMs) ? null : TimeSpan.FromMilliseconds(_latencyMs);
            }
        }
    }

    /// <summary>How many calls wait for a reply from this node. Zero once every call has ended.</summary>
    public int PendingCalls
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public override string ToString() => $"node {Id} ({Address})";

    internal void Attach(INodeLink link) => _link = link;

    internal ValueTask DetachAsync() => _link?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>
    /// Sends a request whose reply (or failure) goes to <paramref name="onResponse"/>, exactly once,
    /// unless <see cref="Forget"/> is called first.
    /// </summary>
    internal void Send(Envelope request, Action<NodeResponse> onResponse)
    {
        lock (_gate)
        {
            _pending[request.Seq] = new Pending(onResponse, _time.GetTimestamp());
        }

        if (_link is null || !_link.TrySend(request))
        {
            // The reason is the link's own error: a "not connected" error built on the last one
            // would name the node once more with every call.
            var cause = _linkError;
            Fail(request.Seq, new NodeException(Id, "not connected" + (cause is null ? "" : $": {cause.Message}"), cause));
        }
    }

    /// <summary>Sends a one-way message (inside a <see cref="DeferredSends"/> scope, queues it); false when the link is down.</summary>
    internal bool SendOneWay(Envelope message) =>
        _link is not null && (DeferredSends.Active ? _link.TryQueue(message) : _link.TrySend(message));

    /// <summary>Writes the one-way messages a <see cref="DeferredSends"/> scope left queued for this node.</summary>
    public void Flush() => _link?.Flush();

    /// <summary>Drops a call's entry: a reply that arrives later finds nothing and leaves no trace.</summary>
    internal void Forget(ulong seq)
    {
        lock (_gate)
        {
            _pending.Remove(seq);
        }
    }

    void ILinkHandler.OnReply(Envelope reply)
    {
        Pending entry;
        lock (_gate)
        {
            if (!_pending.Remove(reply.Seq, out entry))
            {
                return; // a late reply: its call has ended
            }

            var sample = _time.GetElapsedTime(entry.SentAt).TotalMilliseconds;
            _latencyMs = double.IsNaN(_latencyMs) ? sample : (0.8 * _latencyMs) + (0.2 * sample);
        }

        if (reply.Error.Length > 0)
        {
            var error = new NodeException(Id, reply.Error);
            LastError = error;
            entry.OnResponse(new NodeResponse(Id, null, error));
        }
        else
        {
            entry.OnResponse(new NodeResponse(Id, reply.Payload, null));
        }
    }

    void ILinkHandler.OnStateChanged(LinkState state, Exception? error)
    {
        State = state;
        if (error is not null)
        {
            LastError = error;
            _linkError = error;
        }
        else if (state == LinkState.Ready)
        {
            _linkError = null;
        }

        if (state is LinkState.Broken or LinkState.Closed)
        {
            FailAll(new NodeException(Id, $"connection {state.ToString().ToLowerInvariant()}" + (error is null ? "" : $": {error.Message}"), error));
        }
    }

    private void Fail(ulong seq, Exception error)
    {
        Pending entry;
        lock (_gate)
        {
            if (!_pending.Remove(seq, out entry))
            {
                return;
            }
        }

        entry.OnResponse(new NodeResponse(Id, null, error));
    }

    private void FailAll(Exception error)
    {
        List<Pending> failed;
        lock (_gate)
        {
            failed = [.. _pending.OrderBy(p => p.Key).Select(p => p.Value)]; // seq order: deterministic
            _pending.Clear();
        }

        foreach (var entry in failed)
        {
            entry.OnResponse(new NodeResponse(Id, null, error));
        }
    }

    private readonly record struct Pending(Action<NodeResponse> OnResponse, long SentAt);
}

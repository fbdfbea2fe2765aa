namespace PaxosLabs.Gorums;

/// <summary>
/// A scope in which the one-way messages this thread sends do not start a write of their own: each
/// waits for the next write on its node's stream and shares its message (over gRPC; the in-memory
/// network hands every message over at once). A sender that knows more messages to the same nodes
/// follow soon saves a write per node: Multi-Paxos lets a commit ride with the next accept. A queued
/// message waits at most the transport's linger time (over gRPC,
/// <c>GrpcTransportOptions.DeferredSendLinger</c>, 2 ms), then leaves alone; a sender that needs it
/// sooner calls <see cref="Configuration.Flush"/>.
/// </summary>
/// <remarks>Open it around a call that sends synchronously, and close it on the same thread:
/// <c>using (DeferredSends.Open()) { sent = config.CommitAsync(msg); } await sent;</c></remarks>
public readonly ref struct DeferredSends : IDisposable
{
    [ThreadStatic]
    private static int t_open;

    private readonly bool _opened;

    private DeferredSends(bool opened) => _opened = opened;

    /// <summary>Whether this thread is inside a scope.</summary>
    public static bool Active => t_open > 0;

    public static DeferredSends Open()
    {
        t_open++;
        return new DeferredSends(opened: true);
    }

    public void Dispose()
    {
        if (_opened)
        {
            t_open--;
        }
    }
}

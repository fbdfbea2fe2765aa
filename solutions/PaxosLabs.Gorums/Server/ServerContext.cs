namespace PaxosLabs.Gorums.Server;

/// <summary>
/// What a handler knows about its call. Handlers of one sender run one at a time, in the order
/// the sender sent; a handler that must wait for something (another message, an event) calls
/// <see cref="Release"/> so the sender's next message can be handled meanwhile.
/// </summary>
public sealed class ServerContext
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _released;
    private bool _releasedEarly;

    internal ServerContext(string peer, CancellationToken sessionClosed)
    {
        Peer = peer;
        CancellationToken = sessionClosed;
    }

    /// <summary>Who sent the message (the client's name as the transport knows it).</summary>
    public string Peer { get; }

    /// <summary>Fires when the sender's stream closes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Completes when the handler releases its turn. Created only for handlers that do not finish at once.</summary>
    internal Task Released
    {
        get
        {
            lock (_gate)
            {
                _released ??= new TaskCompletionSource();
                if (_releasedEarly)
                {
                    _released.TrySetResult();
                }

                return _released.Task;
            }
        }
    }

    /// <summary>Lets the next message of the same sender start before this handler completes.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _releasedEarly = true;
            _released?.TrySetResult();
        }
    }
}

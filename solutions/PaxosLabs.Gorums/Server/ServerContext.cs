namespace PaxosLabs.Gorums.Server;

/// <summary>
/// What a handler knows about its call. Handlers of one sender run one at a time, in the order
/// the sender sent; a handler that must wait for something (another message, an event) calls
/// <see cref="Release"/> so the sender's next message can be handled meanwhile.
/// </summary>
public sealed class ServerContext
{
    private TaskCompletionSource? _released;
    private int _releasedEarly;

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
            // Lock-free (a context per message): whichever of this and Release runs second sees
            // the other's write, because both writes are full fences.
            var released = Volatile.Read(ref _released) ?? Interlocked.CompareExchange(ref _released, new TaskCompletionSource(), null) ?? _released!;
            if (Volatile.Read(ref _releasedEarly) == 1)
            {
                released.TrySetResult();
            }

            return released.Task;
        }
    }

    /// <summary>Lets the next message of the same sender start before this handler completes.</summary>
    public void Release()
    {
        Interlocked.Exchange(ref _releasedEarly, 1);
        Volatile.Read(ref _released)?.TrySetResult();
    }
}

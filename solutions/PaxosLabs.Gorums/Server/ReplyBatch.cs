namespace PaxosLabs.Gorums.Server;

/// <summary>
/// A scope in which the replies this thread sends wait until it closes, then leave together: one
/// write per stream rather than one per reply (over gRPC; the in-memory network hands every reply
/// over at once). A server that answers many requests at one moment (a Multi-Paxos replica that
/// runs a slot holding a batch of commands) opens one around that moment.
/// </summary>
/// <remarks>Open and close it on the same thread, around code that sends synchronously.</remarks>
public readonly ref struct ReplyBatch : IDisposable
{
    [ThreadStatic]
    private static int t_open;

    [ThreadStatic]
    private static List<Action>? t_flushes;

    private readonly bool _opened;

    private ReplyBatch(bool opened) => _opened = opened;

    /// <summary>Whether this thread is inside a scope.</summary>
    public static bool Active => t_open > 0;

    public static ReplyBatch Open()
    {
        t_open++;
        return new ReplyBatch(opened: true);
    }

    /// <summary>
    /// For a transport inside a scope: it queued a reply without writing it, and <paramref name="flush"/>
    /// writes what it queued; it runs once, when the outermost scope closes.
    /// </summary>
    public static void Defer(Action flush)
    {
        var flushes = t_flushes ??= [];
        if (!flushes.Contains(flush))
        {
            flushes.Add(flush);
        }
    }

    public void Dispose()
    {
        if (!_opened || --t_open > 0 || t_flushes is not { Count: > 0 } flushes)
        {
            return;
        }

        // No scope is open now, so a flush cannot add to the list while it is read: no copy on this hot path.
        try
        {
            foreach (var flush in flushes)
            {
                flush();
            }
        }
        finally
        {
            flushes.Clear();
        }
    }
}

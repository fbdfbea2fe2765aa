namespace PaxosLabs.MultiPaxos;

/// <summary>
/// At most a fixed number of slots in flight. (SemaphoreSlim.WaitAsync with a token continues on
/// the thread pool, which the simulator forbids; this gate resumes its waiters where they awaited.)
/// </summary>
internal sealed class SlotLimit(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private int _used;

    /// <summary>How many slots are in use now.</summary>
    public int InUse
    {
        get
        {
            lock (_gate)
            {
                return _used;
            }
        }
    }

    /// <summary>Completes once a slot is free; the caller then owns it until <see cref="Release"/>.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_used < capacity)
            {
                _used++;
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource();
            _waiting.Enqueue(waiter);
            cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
            return waiter.Task;
        }
    }

    /// <summary>Frees a slot, handing it to the oldest waiter that still waits; returns how many slots are in use then.</summary>
    public int Release()
    {
        TaskCompletionSource? next = null;
        int used;
        lock (_gate)
        {
            while (_waiting.TryDequeue(out var waiter))
            {
                if (!waiter.Task.IsCompleted)
                {
                    next = waiter;
                    break;
                }
            }

            if (next is null)
            {
                _used--;
            }

            used = _used;
        }

        return next is not null && !next.TrySetResult()
            ? Release() // cancelled between the check and now: pass the slot on
            : used;
    }
}

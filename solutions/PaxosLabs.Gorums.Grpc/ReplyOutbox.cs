using Grpc.Core;
using PaxosLabs.Gorums.Grpc.Protocol;
using PaxosLabs.Gorums.Protocol;

namespace PaxosLabs.Gorums.Grpc;

/// <summary>
/// The single writer of a server stream's replies. While the stream's read loop handles a batch of
/// requests (<see cref="Hold"/>), the replies of handlers that finish at once only queue; when the
/// batch is done (<see cref="ReleaseAsync"/>) the read loop writes them itself, as one batch: no hop
/// to another thread for the common case. A reply that comes later, from a handler that waited,
/// starts a writer on the thread pool. Only one writer is ever at work.
/// </summary>
internal sealed class ReplyOutbox
{
    private readonly Lock _gate = new();
    private readonly Queue<Envelope> _queue = new();
    private readonly EnvelopeBatch _batch = new(); // the one writer's, reused: a written message has been serialized
    private readonly IAsyncStreamWriter<EnvelopeBatch> _stream;
    private readonly Outbox.Take _peek;
    private readonly Outbox.Take _take;
    private bool _held;
    private bool _writing;
    private bool _closed;

    public ReplyOutbox(IAsyncStreamWriter<EnvelopeBatch> stream)
    {
        _stream = stream;
        _peek = _queue.TryPeek;
        _take = _queue.TryDequeue;
    }

    /// <summary>Queues a reply; starts a writer unless the read loop or another writer will send it.</summary>
    public void Send(Envelope reply)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _queue.Enqueue(reply);
            if (_held || _writing)
            {
                return;
            }

            _writing = true;
        }

        _ = Task.Run(WriteQueuedAsync);
    }

    /// <summary>The read loop is about to handle a batch: replies wait for <see cref="ReleaseAsync"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _held = true;
        }
    }

    /// <summary>The batch is handled: writes what queued meanwhile here, unless a writer is already at work.</summary>
    public Task ReleaseAsync()
    {
        lock (_gate)
        {
            _held = false;
            if (_writing || _queue.Count == 0)
            {
                return Task.CompletedTask;
            }

            _writing = true;
        }

        return WriteQueuedAsync();
    }

    /// <summary>No more writes: replies that come after the stream ended are dropped.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _queue.Clear();
        }
    }

    private async Task WriteQueuedAsync()
    {
        try
        {
            var batch = _batch;
            while (true)
            {
                batch.Envelopes.Clear();
                lock (_gate)
                {
                    Outbox.Fill(batch, _peek, _take);
                    if (batch.Envelopes.Count == 0 || _closed)
                    {
                        _writing = false;
                        return;
                    }
                }

                // No token per write: the call's own cancellation aborts a write that is stuck.
                await _stream.WriteAsync(batch).ConfigureAwait(false);
            }
        }
        catch
        {
            Close(); // the stream is gone: its read loop ends too, and nothing more is written
            throw;
        }
    }
}

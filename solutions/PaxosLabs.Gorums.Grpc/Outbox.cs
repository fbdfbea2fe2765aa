using Grpc.Core;
using PaxosLabs.Gorums.Grpc.Protocol;
using PaxosLabs.Gorums.Protocol;

namespace PaxosLabs.Gorums.Grpc;

/// <summary>
/// The single writer of one end of a node stream, the same at the client (requests) and at the
/// server (replies). Whatever is queued when the writer looks goes out as one batch (up to
/// <see cref="BatchBytes"/>), in order, never waiting for more: a burst costs one gRPC message and
/// one flush rather than one per envelope.
/// </summary>
/// <remarks>
/// No thread of its own: when no write is under way, the thread that sends writes the batch itself,
/// up to the stream's first wait (no hop to a writer thread for the common case); what queues
/// meanwhile goes out when that write completes. A server's read loop <see cref="Hold"/>s the replies
/// of a batch of requests and writes them together in <see cref="ReleaseAsync"/>. Only one write is
/// ever under way, as gRPC requires. An envelope queued without a write waits for the next write or
/// <see cref="Flush"/>; given a linger time, at most that long (the timer then flushes).
/// </remarks>
internal sealed class Outbox
{
    /// <summary>A batch holds at most this many bytes of envelopes; an envelope larger than this travels alone.</summary>
    public const int BatchBytes = 64 * 1024;

    private readonly Lock _gate = new();
    private readonly Queue<Envelope> _queue = new();
    private readonly EnvelopeBatch _batch = new(); // the one writer's, reused: a written message has been serialized
    private readonly TimeProvider? _time;
    private readonly TimeSpan _linger;
    private ITimer? _lingerTimer;
    private bool _lingering; // the linger timer is set
    private IAsyncStreamWriter<EnvelopeBatch>? _stream;
    private bool _held;
    private bool _writing;
    private bool _closed;

    /// <summary>
    /// An outbox that queues until a stream is attached (the client, before its stream opens). With a
    /// <paramref name="time"/>, an envelope queued without a write leaves at the latest
    /// <paramref name="linger"/> after it queued; without one, the sender makes sure a write follows.
    /// </summary>
    public Outbox(TimeProvider? time = null, TimeSpan linger = default)
    {
        if (time is not null && linger <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(linger), linger, "A linger time must be positive.");
        }

        _time = time;
        _linger = linger;
    }

    /// <summary>An outbox writing to <paramref name="stream"/> (the server's end of a stream).</summary>
    public Outbox(IAsyncStreamWriter<EnvelopeBatch> stream) => _stream = stream;

    /// <summary>
    /// Queues an envelope and, unless a write is under way or the replies are held, writes it; false
    /// once closed. With <paramref name="write"/> false it only queues: the envelope leaves with the
    /// next write (a later send, or <see cref="Flush"/>), or when the linger time has passed.
    /// </summary>
    public bool Send(Envelope envelope, bool write = true)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _queue.Enqueue(envelope);
            if (!write)
            {
                Linger();
                return true;
            }

            if (!StartWriting())
            {
                return true;
            }
        }

        WriteHere();
        return true;
    }

    /// <summary>Writes what is queued, unless a write is under way (it takes the queue along) or the replies are held.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (!StartWriting())
            {
                return;
            }
        }

        WriteHere();
    }

    /// <summary>The stream opened: what queued before it goes out now.</summary>
    public void Attach(IAsyncStreamWriter<EnvelopeBatch> stream)
    {
        lock (_gate)
        {
            _stream = stream;
            if (!StartWriting())
            {
                return;
            }
        }

        WriteHere();
    }

    /// <summary>The stream broke: queued envelopes are lost, as on a real network, and nothing is written until the next <see cref="Attach"/>.</summary>
    public void Detach()
    {
        lock (_gate)
        {
            DropStream();
        }
    }

    /// <summary>The read loop is about to handle a batch of requests: replies wait for <see cref="ReleaseAsync"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _held = true;
        }
    }

    /// <summary>The batch is handled: writes what queued meanwhile on this thread, unless a write is already under way.</summary>
    public Task ReleaseAsync()
    {
        lock (_gate)
        {
            _held = false;
            if (!StartWriting())
            {
                return Task.CompletedTask;
            }
        }

        return WriteQueuedAsync(null, null);
    }

    /// <summary>No more writes: envelopes sent from now on are dropped.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            DropStream();
            _lingerTimer?.Dispose();
        }
    }

    /// <summary>
    /// Under the gate: an envelope waits for a write; unless the timer is set already, it flushes
    /// after the linger time. One timer for the outbox, set at most once per linger time: an
    /// envelope that a write took along meanwhile leaves nothing to flush, and one queued since
    /// leaves a little early.
    /// </summary>
    private void Linger()
    {
        if (_time is null || _lingering)
        {
            return;
        }

        _lingering = true;
        _lingerTimer ??= _time.CreateTimer(static outbox => ((Outbox)outbox!).LingerPassed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _lingerTimer.Change(_linger, Timeout.InfiniteTimeSpan);
    }

    private void LingerPassed()
    {
        lock (_gate)
        {
            _lingering = false;
        }

        Flush();
    }

    /// <summary>Under the gate: no stream to write to, and what was queued for the old one is lost.</summary>
    private void DropStream()
    {
        _stream = null;
        _queue.Clear();
    }

    /// <summary>Under the gate: takes the writer's role if there is something to write and nobody else may.</summary>
    private bool StartWriting()
    {
        if (_writing || _held || _stream is null || _queue.Count == 0)
        {
            return false;
        }

        _writing = true;
        return true;
    }

    /// <summary>
    /// The sender writes one batch itself. A write that completes at once leaves more to write only
    /// if others queued meanwhile, and those go out from the thread pool: a sender never writes for
    /// long on others' behalf. A write that waits continues where it completes.
    /// </summary>
    private void WriteHere()
    {
        Task write;
        IAsyncStreamWriter<EnvelopeBatch>? stream = null;
        try
        {
            if (!TryTakeBatch(out stream))
            {
                return;
            }

            write = stream.WriteAsync(_batch);
        }
#pragma warning disable CA1031 // a failed write is the stream's failure: its read loop reports it
        catch (Exception e)
#pragma warning restore CA1031
        {
            write = Task.FromException(e);
        }

        if (!write.IsCompletedSuccessfully)
        {
            _ = WriteQueuedAsync(write, stream);
            return;
        }

        lock (_gate)
        {
            if (_queue.Count == 0 || _stream is null)
            {
                _writing = false;
                return;
            }
        }

        _ = Task.Run(() => WriteQueuedAsync(null, null));
    }

    /// <summary>
    /// Waits for <paramref name="pending"/>, a write to <paramref name="pendingStream"/>, if any, then
    /// writes batches until the queue is empty. A failed write drops what is queued for that stream;
    /// what was queued for a stream attached since goes out to it.
    /// </summary>
    private async Task WriteQueuedAsync(Task? pending, IAsyncStreamWriter<EnvelopeBatch>? pendingStream)
    {
        var stream = pendingStream;
        while (true)
        {
            try
            {
                if (pending is not null)
                {
                    await pending.ConfigureAwait(false);
                }

                while (TryTakeBatch(out stream))
                {
                    // No token per write: the call's own cancellation aborts a write that is stuck.
                    await stream.WriteAsync(_batch).ConfigureAwait(false);
                }

                return;
            }
#pragma warning disable CA1031 // a failed write is the stream's failure: its read loop reports it
            catch (Exception)
#pragma warning restore CA1031
            {
                lock (_gate)
                {
                    if (_stream == stream)
                    {
                        DropStream();
                    }
                }

                pending = null;
            }
        }
    }

    /// <summary>
    /// Fills the batch with queued envelopes, in order, while they fit: the first always does; a later
    /// one that would take the batch past <see cref="BatchBytes"/> starts the next batch. False, and
    /// the writer's role given up, when there is nothing to write or no stream to write to.
    /// </summary>
    private bool TryTakeBatch(out IAsyncStreamWriter<EnvelopeBatch> stream)
    {
        _batch.Envelopes.Clear();
        lock (_gate)
        {
            if (_stream is null || _queue.Count == 0)
            {
                _writing = false;
                stream = null!;
                return false;
            }

            stream = _stream;
            var bytes = 0;
            while (_queue.TryPeek(out var envelope))
            {
                var size = envelope.CalculateSize();
                if (_batch.Envelopes.Count > 0 && bytes + size > BatchBytes)
                {
                    break;
                }

                _batch.Envelopes.Add(_queue.Dequeue());
                bytes += size;
            }

            return true;
        }
    }
}
